import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Forecast } from '../../common/schemas/forecast';
import { Seeder, testClock } from '../delivery/test/seed';
import { anonymousClient, signInAs, type AdminClient } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';

// The forecast over HTTP against a seeded history: four weeks weighted 4/3/2/1 (the most recent first),
// matched by weekday and hour in the operator's time zone, minus goals booked on the zones.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = '2026-03-04T10:00:00Z'; // a Wednesday
const clock = testClock(NOW);
const at = (iso: string) => Date.parse(iso);

let app: TestApp;
let manager: AdminClient;
let seed: Seeder;
let siteId: string;
let historyCampaign: string;
let historyCreative: string;
/** Zone with history only at two slots; zones with a flat history; one without any. */
const z = { peaked: '', flatB: '', flatC: '', empty: '' };
let booked: string;

function count(zoneId: string, hourIso: string | number, n: { served: number; viewable?: number; clicks?: number }) {
  const repo = app.services.stats.repo;
  const hour = (typeof hourIso === 'number' ? hourIso : at(hourIso)) / 1000;
  repo.transaction(() =>
    repo.add({ hour, campaignId: historyCampaign, creativeId: historyCreative, zoneId, siteId, country: '', served: n.served, impressions: n.served, clicks: n.clicks ?? 0, viewable: n.viewable ?? 0, measurable: n.viewable ?? 0 }),
  );
}

const forecast = async (body: Record<string, unknown>, client = manager): Promise<Forecast> => {
  const res = await client.post('/api/forecast', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Forecast;
};

beforeAll(async () => {
  app = await startTestApp({ timeZone: 'UTC' }, { now: clock.now });
  seed = new Seeder(app.ctx.db, clock.now());
  const p = seed.placement();
  siteId = p.siteId;
  z.peaked = p.zoneId;
  z.flatB = seed.zone(siteId);
  z.flatC = seed.zone(siteId);
  z.empty = seed.zone(siteId);
  historyCampaign = seed.campaign({ status: 'archived', zoneIds: [] });
  historyCreative = seed.creative(historyCampaign);

  // Mondays 09:00 of the last four weeks, most recent first; the fifth week back is outside the window.
  ['2026-03-02', '2026-02-23', '2026-02-16', '2026-02-09'].forEach((day, i) => {
    count(z.peaked, `${day}T09:00:00Z`, { served: [400, 300, 200, 100][i]! });
    count(z.peaked, `${day}T10:00:00Z`, { served: 10 });
  });
  count(z.peaked, '2026-02-02T09:00:00Z', { served: 100_000 });
  // The current (unfinished) hour is not history either.
  count(z.peaked, NOW, { served: 100_000 });

  // 10 served, 5 viewable, 1 click in every hour of the four weeks.
  for (let t = at(NOW) - 28 * DAY; t < at(NOW); t += HOUR) {
    count(z.flatB, t, { served: 10, viewable: 5, clicks: 1 });
    count(z.flatC, t, { served: 10, viewable: 5, clicks: 1 });
  }
  // A goal of 2000 impressions over the next seven days in B and C.
  booked = seed.campaign({ impressionGoal: 2000, startsAt: new Date(NOW), endsAt: new Date(at(NOW) + 7 * DAY), zoneIds: [z.flatB, z.flatC] });
  // Drafts and archived campaigns book nothing.
  seed.campaign({ status: 'draft', impressionGoal: 5000, startsAt: new Date(NOW), endsAt: new Date(at(NOW) + 7 * DAY), zoneIds: [z.flatB] });
  seed.campaign({ status: 'archived', impressionGoal: 5000, startsAt: new Date(NOW), endsAt: new Date(at(NOW) + 7 * DAY), zoneIds: [z.flatB] });
  manager = await signInAs(app, 'manager');
}, 60_000);

afterAll(async () => {
  await app?.dispose();
});

describe('expected traffic from history', () => {
  it('weights the last four weeks 4/3/2/1 at the same weekday and hour', async () => {
    const f = await forecast({ zoneIds: [z.peaked], startsAt: '2026-03-09T09:00:00Z', endsAt: '2026-03-09T10:00:00Z' });
    // (4·400 + 3·300 + 2·200 + 1·100) / 10 = 300; an unweighted mean would be 250, the fifth week and the current hour add nothing.
    expect(f).toMatchObject({ kind: 'impressions', expected: 300, booked: 0, free: 300, needed: null, share: null, overbooked: false, zonesWithoutHistory: [], timeZone: 'UTC' });
    expect((await forecast({ zoneIds: [z.peaked], startsAt: '2026-03-09T09:00:00Z', endsAt: '2026-03-09T11:00:00Z' })).expected).toBe(310);
    // Half an hour counts half.
    expect((await forecast({ zoneIds: [z.peaked], startsAt: '2026-03-09T09:30:00Z', endsAt: '2026-03-09T10:00:00Z' })).expected).toBe(150);
  });

  it('matches the weekday: Tuesday 09:00 had nothing', async () => {
    expect((await forecast({ zoneIds: [z.peaked], startsAt: '2026-03-10T09:00:00Z', endsAt: '2026-03-10T10:00:00Z' })).expected).toBe(0);
    // Two Mondays ahead: twice the week's peak pair.
    expect((await forecast({ zoneIds: [z.peaked], startsAt: '2026-03-09T00:00:00Z', endsAt: '2026-03-23T00:00:00Z' })).expected).toBe(620);
  });

  it('forecasts from now on: past hours of the range are history, not forecast', async () => {
    const f = await forecast({ zoneIds: [z.flatB], startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-03-04T12:00:00Z' });
    expect(f.from).toBe('2026-03-04T10:00:00.000Z');
    expect(f.expected).toBe(20);
  });

  it('says which zones have no history', async () => {
    const f = await forecast({ zoneIds: [z.peaked, z.empty], startsAt: '2026-03-09T09:00:00Z', endsAt: '2026-03-09T10:00:00Z', goal: { kind: 'impressions', count: 100 } });
    expect(f.zonesWithoutHistory).toEqual([z.empty]);
    expect(f.perZone).toEqual([
      { zoneId: z.peaked, expected: 300, booked: 0, hasHistory: true },
      { zoneId: z.empty, expected: 0, booked: 0, hasHistory: false },
    ]);
    const none = await forecast({ zoneIds: [z.empty], startsAt: '2026-03-09T00:00:00Z', endsAt: '2026-03-16T00:00:00Z', goal: { kind: 'impressions', count: 100 } });
    expect(none).toMatchObject({ expected: 0, free: 0, needed: 100, share: null, overbooked: true, zonesWithoutHistory: [z.empty] });
  });
});

describe('booked goals', () => {
  const week = { startsAt: NOW, endsAt: new Date(at(NOW) + 7 * DAY).toISOString() };

  it('subtracts the part of an overlapping goal that falls in the range and zones', async () => {
    // 2000 over B and C for the week, by expected traffic: 1000 falls on B.
    const f = await forecast({ zoneIds: [z.flatB], ...week, goal: { kind: 'impressions', count: 340 } });
    expect(f).toMatchObject({ expected: 1680, booked: 1000, free: 680, needed: 340, share: 0.5, overbooked: false });
    expect(f.bookings).toEqual([{ campaignId: booked, name: 'Test campaign', goalKind: 'impressions', remaining: 2000, booked: 1000 }]);
    // Half the week: half of it.
    const half = await forecast({ zoneIds: [z.flatB], startsAt: NOW, endsAt: new Date(at(NOW) + 3.5 * DAY).toISOString() });
    expect(half).toMatchObject({ expected: 840, booked: 500, free: 340 });
  });

  it('flags overbooking when the goal needs more than is free', async () => {
    const f = await forecast({ zoneIds: [z.flatB], ...week, goal: { kind: 'impressions', count: 1000 } });
    expect(f.overbooked).toBe(true);
    expect(f.share).toBeCloseTo(1000 / 680, 5);
  });

  it('leaves out the campaign being edited and counts what it delivered towards its goal', async () => {
    const f = await forecast({ zoneIds: [z.flatB], ...week, goal: { kind: 'impressions', count: 2000 }, excludeCampaignId: booked });
    expect(f).toMatchObject({ booked: 0, free: 1680, needed: 2000, overbooked: true });
    app.services.stats.counters.seedServed([{ campaignId: booked, servedTotal: 800, servedToday: 0, viewableTotal: 0, clicksTotal: 0 }], at(NOW));
    const after = await forecast({ zoneIds: [z.flatB], ...week, goal: { kind: 'impressions', count: 2000 }, excludeCampaignId: booked });
    expect(after).toMatchObject({ needed: 1200, overbooked: false });
    // Others see its remaining 1200, 600 on B.
    expect((await forecast({ zoneIds: [z.flatB], ...week })).booked).toBe(600);
    app.services.stats.counters.campaign(booked).total -= 800;
  });

  it('converts goals of another kind by the zones’ ratio (half the served were viewable)', async () => {
    const f = await forecast({ zoneIds: [z.flatB], ...week, goal: { kind: 'viewable', count: 170 } });
    expect(f).toMatchObject({ kind: 'viewable', expected: 840, booked: 500, free: 340, needed: 170, share: 0.5 });
  });
});

describe('validation and roles', () => {
  it('refuses bad requests with the field named', async () => {
    const bad = [
      [{ zoneIds: [], startsAt: NOW, endsAt: '2026-03-05T00:00:00Z' }, 'zoneIds'],
      [{ zoneIds: [z.flatB], startsAt: '2026-03-05T00:00:00Z', endsAt: NOW }, 'endsAt'],
      [{ zoneIds: [z.flatB], startsAt: NOW, endsAt: '2027-06-01T00:00:00Z' }, 'endsAt'],
      [{ zoneIds: ['zon_nope'], startsAt: NOW, endsAt: '2026-03-05T00:00:00Z' }, 'zoneIds.0'],
      [{ zoneIds: [z.flatB, 'zon_aaaaaaaaaaaaaaaa'], startsAt: NOW, endsAt: '2026-03-05T00:00:00Z' }, 'zoneIds.1'],
      [{ zoneIds: [z.flatB], startsAt: NOW, endsAt: '2026-03-05T00:00:00Z', goal: { kind: 'likes', count: 1 } }, 'goal.kind'],
      [{ zoneIds: [z.flatB], startsAt: NOW, endsAt: '2026-03-05T00:00:00Z', excludeCampaignId: 'cmp_aaaaaaaaaaaaaaaa' }, 'excludeCampaignId'],
    ] as const;
    for (const [body, path] of bad) {
      const res = await manager.post('/api/forecast', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(body)).toContain(path);
    }
  });

  it('is for admins, managers and analysts', async () => {
    const body = { zoneIds: [z.flatB], startsAt: NOW, endsAt: '2026-03-05T00:00:00Z' };
    for (const role of ['admin', 'analyst'] as const) expect((await (await signInAs(app, role)).post('/api/forecast', body)).status, role).toBe(200);
    expect((await (await signInAs(app, 'reviewer')).post('/api/forecast', body)).status).toBe(403);
    expect((await anonymousClient(app).post('/api/forecast', body)).status).toBe(401);
  });
});
