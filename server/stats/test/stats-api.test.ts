import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousClient, signInAs, type AdminClient } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { json, refreshIndex, Seeder, testClock, testId } from '../../delivery/test/seed';

const clock = testClock('2025-06-01T09:10:00Z');

let app: TestApp;
let analyst: AdminClient;
let ids: { campaignId: string; creativeA: string; creativeB: string; zone1: string; zone2: string; site1: string; site2: string };

async function decide(zoneId: string): Promise<{ impressionUrl: string; clickUrl: string; creative: { id: string } }> {
  const res = await fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}`);
  expect(res.status).toBe(200);
  return json(res);
}

beforeAll(async () => {
  app = await startTestApp({ timeZone: 'UTC' }, { now: clock.now });
  const seed = new Seeder(app.ctx.db, clock.now());
  const p1 = seed.placement();
  const p2 = seed.placement();
  const campaignId = seed.campaign({ zoneIds: [p1.zoneId, p2.zoneId], startsAt: new Date('2025-05-01T00:00:00Z') });
  const creativeA = seed.creative(campaignId);
  const creativeB = seed.creative(campaignId);
  ids = { campaignId, creativeA, creativeB, zone1: p1.zoneId, zone2: p2.zoneId, site1: p1.siteId, site2: p2.siteId };
  await refreshIndex(app);

  // 1 June 09:10 UTC: 2 decisions in zone 1, one of them seen.
  const first = await decide(ids.zone1);
  await decide(ids.zone1);
  await fetch(first.impressionUrl);
  // 2 June 10:30 UTC: 3 decisions in zone 1, 1 in zone 2; 2 impressions and a click.
  clock.set('2025-06-02T10:30:00Z');
  const later = [await decide(ids.zone1), await decide(ids.zone1), await decide(ids.zone1), await decide(ids.zone2)];
  await fetch(later[0]!.impressionUrl);
  await fetch(later[3]!.impressionUrl);
  await fetch(later[3]!.clickUrl, { redirect: 'manual' });
  // Signed in at the final time (sessions expire when idle).
  analyst = await signInAs(app, 'analyst');
});
afterAll(() => app.dispose());

const stats = (q: string) => analyst.get(`/api/stats?campaignId=${ids.campaignId}&${q}`);
const sum = (points: Array<{ served: number; impressions: number; clicks: number }>) =>
  points.reduce((a, p) => ({ served: a.served + p.served, impressions: a.impressions + p.impressions, clicks: a.clicks + p.clicks }), { served: 0, impressions: 0, clicks: 0 });

describe('GET /api/stats', () => {
  it('answers hourly points for every bucket up to the current hour, zeros included', async () => {
    const res = await stats('from=2025-06-01T00:00:00Z&to=2025-06-03T00:00:00Z&granularity=hour');
    expect(res.status).toBe(200);
    expect(res.body.series).toHaveLength(1);
    const { key, points } = res.body.series[0];
    expect(key).toBe(ids.campaignId);
    // Now is 2 June 10:30: the 10:00 bucket is the last, no future zeros.
    expect(points).toHaveLength(35);
    expect(points.at(-1).t).toBe('2025-06-02T10:00:00.000Z');
    expect(points[0]).toMatchObject({ t: '2025-06-01T00:00:00.000Z', served: 0, impressions: 0, clicks: 0 });
    expect(points[9]).toMatchObject({ t: '2025-06-01T09:00:00.000Z', served: 2, impressions: 1, clicks: 0 });
    expect(points[34]).toMatchObject({ t: '2025-06-02T10:00:00.000Z', served: 4, impressions: 2, clicks: 1 });
    expect(sum(points)).toEqual({ served: 6, impressions: 3, clicks: 1 });
  });

  it('answers daily points, rounding from down to the day', async () => {
    const res = await stats('from=2025-05-31T18:00:00Z&to=2025-06-03&granularity=day');
    expect(res.status).toBe(200);
    expect(res.body.series[0].points).toMatchObject([
      { t: '2025-05-31T00:00:00.000Z', served: 0, impressions: 0, clicks: 0 },
      { t: '2025-06-01T00:00:00.000Z', served: 2, impressions: 1, clicks: 0 },
      { t: '2025-06-02T00:00:00.000Z', served: 4, impressions: 2, clicks: 1 },
    ]);
  });

  it('splits by zone, site and creative', async () => {
    const byZone = await stats('from=2025-06-01&to=2025-06-03&granularity=day&by=zone');
    const zones = Object.fromEntries(byZone.body.series.map((s: { key: string; points: [] }) => [s.key, sum(s.points)]));
    expect(zones).toEqual({ [ids.zone1]: { served: 5, impressions: 2, clicks: 0 }, [ids.zone2]: { served: 1, impressions: 1, clicks: 1 } });
    const bySite = await stats('from=2025-06-01&to=2025-06-03&granularity=day&by=site');
    expect(bySite.body.series.map((s: { key: string }) => s.key).sort()).toEqual([ids.site1, ids.site2].sort());
    const byCreative = await stats('from=2025-06-01&to=2025-06-03&granularity=hour&by=creative');
    const keys = byCreative.body.series.map((s: { key: string }) => s.key);
    for (const k of keys) expect([ids.creativeA, ids.creativeB]).toContain(k);
    expect(sum(byCreative.body.series.flatMap((s: { points: [] }) => s.points))).toEqual({ served: 6, impressions: 3, clicks: 1 });
  });

  it('answers 400 for bad queries, 404 for an unknown campaign, 401 without a session', async () => {
    const bad = [
      'from=2025-06-01&to=2025-06-02',
      'from=2025-06-01&to=2025-06-02&granularity=week',
      'from=yesterday&to=2025-06-02&granularity=day',
      'from=2025-06-02&to=2025-06-01&granularity=day',
      'from=2025-06-01&to=2025-06-01&granularity=hour',
      'from=2025-01-01&to=2025-03-01&granularity=hour',
      'from=2023-01-01&to=2025-03-01&granularity=day',
      'from=2025-06-01&to=2025-06-02&granularity=day&by=customer,city',
      'from=2025-06-01&to=2025-06-02&granularity=day&extra=1',
    ];
    for (const q of bad) {
      const res = await stats(q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toMatch(/^Invalid input: /);
    }
    expect((await analyst.get(`/api/stats?campaignId=${testId('campaign')}&from=2025-06-01&to=2025-06-02&granularity=day`)).status).toBe(404);
    expect((await anonymousClient(app).get(`/api/stats?campaignId=${ids.campaignId}&from=2025-06-01&to=2025-06-02&granularity=day`)).status).toBe(401);
  });
});

describe('GET /api/stats/summary', () => {
  it('totals per campaign for today by default, or a given range', async () => {
    const today = await analyst.get('/api/stats/summary');
    expect(today.status).toBe(200);
    expect(today.body.from).toBe('2025-06-02T00:00:00.000Z');
    expect(today.body.campaigns).toMatchObject([{ campaignId: ids.campaignId, served: 4, impressions: 2, clicks: 1 }]);
    expect(today.body.total).toMatchObject({ served: 4, impressions: 2, clicks: 1 });
    const both = await analyst.get('/api/stats/summary?from=2025-06-01&to=2025-06-03');
    expect(both.body.total).toMatchObject({ served: 6, impressions: 3, clicks: 1 });
    expect((await analyst.get('/api/stats/summary?from=2025-06-03&to=2025-06-01')).status).toBe(400);
    expect((await analyst.get('/api/stats/summary?from=2020-01-01')).status).toBe(400);
    expect((await analyst.get('/api/stats/summary?from=soon')).status).toBe(400);
  });
});

describe('flush at shutdown', () => {
  it('writes the last counts when the app stops; a new app reads them', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-stats-'));
    try {
      let a = await startTestApp({ dataDir, timeZone: 'UTC' }, { now: clock.now });
      const s = new Seeder(a.ctx.db, clock.now()).simple();
      await refreshIndex(a);
      for (let i = 0; i < 5; i++) expect((await fetch(`${a.deliveryUrl}/v1/decision?zone=${s.zoneId}`)).status).toBe(200);
      await a.stop();
      a = await startTestApp({ dataDir, timeZone: 'UTC' }, { now: clock.now });
      try {
        const client = await signInAs(a, 'analyst');
        const res = await client.get(`/api/stats?campaignId=${s.campaignId}&from=2025-06-02&to=2025-06-03&granularity=day`);
        expect(res.body.series[0].points[0].served).toBe(5);
        // The daily cap counters start from the rollups after a restart.
        a.ctx.db.prepare('UPDATE campaigns SET daily_cap = 6 WHERE id = ?').run(s.campaignId);
        await refreshIndex(a);
        expect((await fetch(`${a.deliveryUrl}/v1/decision?zone=${s.zoneId}`)).status).toBe(200);
        expect((await fetch(`${a.deliveryUrl}/v1/decision?zone=${s.zoneId}`)).status).toBe(204);
      } finally {
        await a.stop();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(`${dataDir}.data-key`, { force: true });
    }
  });

  it('keeps no address or user agent in the statistics store (only the country code)', () => {
    const columns = app.ctx.db.prepare("SELECT name FROM pragma_table_info('stats_hourly')").pluck().all();
    expect(columns).toEqual(['hour', 'campaign_id', 'creative_id', 'zone_id', 'site_id', 'served', 'impressions', 'clicks', 'country', 'viewable', 'measurable', 'revenue']);
  });
});
