import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app';
import { json, refreshIndex, Seeder, testClock, type CampaignSeed } from './seed';

// Goals of every kind under even and asap pacing, driven by real decisions and clicks over HTTP.
const START = '2025-06-02T10:30:00Z';
const clock = testClock(START);
const DAY = 86_400_000;

let app: TestApp;
let seed: Seeder;
beforeAll(async () => {
  app = await startTestApp({}, { now: clock.now });
  seed = new Seeder(app.ctx.db, clock.now());
});
afterAll(() => app.dispose());

interface Decision {
  clickUrl: string;
}
const decide = async (zoneId: string): Promise<Decision | null> => {
  const res = await fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}`);
  if (res.status === 204) return null;
  expect(res.status).toBe(200);
  return json(res);
};
/** Decisions until the first 204 (at most `max`); the ones served. */
async function serveUntilRefused(zoneId: string, max: number): Promise<Decision[]> {
  const out: Decision[] = [];
  for (let i = 0; i < max; i++) {
    const d = await decide(zoneId);
    if (!d) break;
    out.push(d);
  }
  return out;
}
const click = async (d: Decision) => expect((await fetch(d.clickUrl, { redirect: 'manual' })).status).toBe(302);

/** A campaign whose flight has 1 % elapsed (1 of 100 days), so even pacing allows goal × 0.01 + slack. */
async function campaign(o: CampaignSeed) {
  const now = clock.now().getTime();
  const s = seed.simple({ startsAt: new Date(now - DAY), endsAt: new Date(now + 99 * DAY), ...o });
  await refreshIndex(app);
  return s;
}
/** Counts viewable impressions the way /v1/view does: through the statistics counters. */
function viewable(s: { campaignId: string; creativeId: string; zoneId: string; siteId: string }, n: number) {
  const counters = app.services.stats.counters;
  const key = counters.key(s.campaignId, s.creativeId, s.zoneId, s.siteId);
  for (let i = 0; i < n; i++) counters.viewable(key, clock.now().getTime());
}

describe('pacing to a click goal', () => {
  it('even: serves freely while clicks stay under the curve, stops once clicks reach allowed(t), resumes as time passes', async () => {
    // Goal 100 clicks; at 1 % elapsed allowed = 1 + slack 1 = 2 clicks.
    const s = await campaign({ impressionGoal: 100, goalKind: 'clicks', pacing: 'even' });
    try {
      const served = await serveUntilRefused(s.zoneId, 30);
      expect(served).toHaveLength(30); // served decisions do not count toward a click goal
      await click(served[0]!);
      expect(await decide(s.zoneId)).not.toBeNull(); // 1 click < 2
      await click(served[1]!);
      expect(await decide(s.zoneId)).toBeNull(); // 2 clicks = allowed(t)
      clock.advance(DAY); // 2 % elapsed: allowed = 3
      expect(await decide(s.zoneId)).not.toBeNull();
      await click(served[2]!);
      expect(await decide(s.zoneId)).toBeNull();
    } finally {
      clock.set(START);
    }
  });

  it('asap: serves until clicks reach the goal however early, then never again', async () => {
    const s = await campaign({ impressionGoal: 3, goalKind: 'clicks', pacing: 'asap' });
    try {
      const served = await serveUntilRefused(s.zoneId, 5);
      expect(served).toHaveLength(5);
      await click(served[0]!);
      await click(served[1]!);
      // Even pacing would allow 3 × 0.01 + 1 = 1.03 clicks by now; asap keeps serving.
      expect(await decide(s.zoneId)).not.toBeNull();
      await click(served[2]!);
      expect(await decide(s.zoneId)).toBeNull();
      clock.advance(50 * DAY);
      expect(await decide(s.zoneId)).toBeNull();
    } finally {
      clock.set(START);
    }
  });

  it('a campaign at its click goal leaves the zone to the next campaign', async () => {
    const s = await campaign({ impressionGoal: 1, goalKind: 'clicks', pacing: 'asap', priority: 9 });
    const other = seed.campaign({ zoneIds: [s.zoneId], priority: 1 });
    const otherCreative = seed.creative(other);
    await refreshIndex(app);
    const first = (await decide(s.zoneId))!;
    await click(first);
    const res = await fetch(`${app.deliveryUrl}/v1/decision?zone=${s.zoneId}`);
    expect((await json(res)).creative.id).toBe(otherCreative);
  });
});

describe('pacing to a viewable goal', () => {
  it('even: stops once viewable impressions reach allowed(t)', async () => {
    const s = await campaign({ impressionGoal: 200, goalKind: 'viewable', pacing: 'even' }); // allowed = 2 + 2 = 4
    expect(await serveUntilRefused(s.zoneId, 10)).toHaveLength(10);
    viewable(s, 3);
    expect(await decide(s.zoneId)).not.toBeNull();
    viewable(s, 1);
    expect(await decide(s.zoneId)).toBeNull();
  });

  it('asap: serves until the viewable goal is met', async () => {
    const s = await campaign({ impressionGoal: 5, goalKind: 'viewable', pacing: 'asap' });
    viewable(s, 4);
    expect(await decide(s.zoneId)).not.toBeNull();
    viewable(s, 1);
    expect(await decide(s.zoneId)).toBeNull();
  });
});

describe('pacing an impressions goal (served decisions)', () => {
  it('even allows goal × elapsed + slack, asap the whole goal at once', async () => {
    // Goal 10 at 1 % elapsed: even allows 0.1 + 1 → two decisions; asap all ten.
    const even = await campaign({ impressionGoal: 10, pacing: 'even' });
    expect(await serveUntilRefused(even.zoneId, 20)).toHaveLength(2);
    const asap = await campaign({ impressionGoal: 10, pacing: 'asap' });
    expect(await serveUntilRefused(asap.zoneId, 20)).toHaveLength(10);
  });
});
