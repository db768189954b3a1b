import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousClient, signInAs, type AdminClient } from '../../test/admin-client';
import { createPortalUser, type PortalClient } from '../../test/portal-fixture';
import { startTestApp, type TestApp } from '../../test/test-app';
import { Seeder, testClock, testId } from '../../delivery/test/seed';

const clock = testClock('2025-06-02T10:30:00Z');
const H = (iso: string) => Date.parse(iso) / 1000;

let app: TestApp;
let analyst: AdminClient;
let portal: PortalClient;
const ids = {} as Record<'custA' | 'custB' | 'siteA' | 'siteB' | 'zoneA' | 'zoneB' | 'campA1' | 'campA2' | 'campB1' | 'crvA1' | 'crvA2' | 'crvB1', string>;

interface Series {
  key: string;
  parts?: string[];
  points: Array<{ t: string; served: number; impressions: number; clicks: number; revenue: number; reach: number | null }>;
  totals: { served: number; impressions: number; clicks: number; viewable: number; measurable: number; revenue: number };
}

beforeAll(async () => {
  app = await startTestApp({ timeZone: 'UTC' }, { now: clock.now });
  const seed = new Seeder(app.ctx.db, clock.now());
  ids.custA = seed.customer();
  ids.custB = seed.customer();
  ids.siteA = seed.site(ids.custA);
  ids.siteB = seed.site(ids.custB);
  ids.zoneA = seed.zone(ids.siteA);
  ids.zoneB = seed.zone(ids.siteB);
  ids.campA1 = seed.campaign({ customerId: ids.custA, zoneIds: [ids.zoneA, ids.zoneB] });
  ids.campA2 = seed.campaign({ customerId: ids.custA, zoneIds: [ids.zoneA] });
  ids.campB1 = seed.campaign({ customerId: ids.custB, zoneIds: [ids.zoneB] });
  ids.crvA1 = seed.creative(ids.campA1);
  ids.crvA2 = seed.creative(ids.campA2);
  ids.crvB1 = seed.creative(ids.campB1);
  // Written as a flush writes them: hourly and daily rollup together.
  const repo = app.services.stats.repo;
  // [hour, campaign, creative, zone, site, country, served, impressions, clicks]
  const rows: Array<[string, string, string, string, string, string, number, number, number]> = [
    ['2025-06-01T09:00:00Z', ids.campA1, ids.crvA1, ids.zoneA, ids.siteA, 'DE', 10, 8, 1],
    ['2025-06-01T09:00:00Z', ids.campA1, ids.crvA1, ids.zoneB, ids.siteB, 'AT', 5, 4, 0],
    ['2025-06-01T15:00:00Z', ids.campA2, ids.crvA2, ids.zoneA, ids.siteA, '', 7, 7, 2],
    ['2025-06-02T08:00:00Z', ids.campB1, ids.crvB1, ids.zoneB, ids.siteB, 'DE', 20, 18, 3],
    ['2025-06-02T10:00:00Z', ids.campA1, ids.crvA1, ids.zoneA, ids.siteA, 'DE', 3, 3, 0],
  ];
  repo.transaction(() => {
    for (const [hour, campaignId, creativeId, zoneId, siteId, country, served, impressions, clicks] of rows) {
      repo.add({ hour: H(hour), campaignId, creativeId, zoneId, siteId, country, served, impressions, clicks, viewable: 0, measurable: 0 });
    }
  });
  analyst = await signInAs(app, 'analyst');
  portal = (await createPortalUser(app, await signInAs(app, 'manager'), ids.custA)).client;
});
afterAll(() => app.dispose());

const RANGE = 'from=2025-06-01&to=2025-06-03';
const report = async (q: string): Promise<{ series: Series[]; totals: Series['totals']; by: string[] }> => {
  const res = await analyst.get(`/api/stats?${q}`);
  expect(res.status, `${q}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
};
const totalsByKey = (series: Series[]) => Object.fromEntries(series.map((s) => [s.key, s.totals.served]));

describe('GET /api/stats as a report across campaigns', () => {
  it('covers all campaigns without campaignId, hourly up to the current hour', async () => {
    const r = await report(`${RANGE}&granularity=hour`);
    expect(r.series).toHaveLength(1);
    expect(r.series[0]!.key).toBe('all');
    expect(r.totals.served).toBe(45);
    const points = r.series[0]!.points;
    // Now is 2 June 10:30: 24 hours of 1 June plus 00:00–10:00 of 2 June, the last carrying this hour's counts.
    expect(points).toHaveLength(35);
    expect(points.at(-1)).toMatchObject({ t: '2025-06-02T10:00:00.000Z', served: 3 });
    expect(points.filter((p) => Date.parse(p.t) > clock.now().getTime())).toEqual([]);
  });

  it('filters by customer, site, zone and several values', async () => {
    expect((await report(`${RANGE}&granularity=day&customerId=${ids.custA}`)).totals.served).toBe(25);
    expect((await report(`${RANGE}&granularity=day&customerId=${ids.custA},${ids.custB}`)).totals.served).toBe(45);
    expect((await report(`${RANGE}&granularity=day&siteId=${ids.siteB}`)).totals.served).toBe(25);
    expect((await report(`${RANGE}&granularity=day&zoneId=${ids.zoneA}`)).totals.served).toBe(20);
    expect((await report(`${RANGE}&granularity=day&zoneId=${ids.zoneA},${ids.zoneB}&customerId=${ids.custA}`)).totals.served).toBe(25);
    expect((await report(`${RANGE}&granularity=day&country=DE,unknown`)).totals.served).toBe(40);
    expect((await report(`${RANGE}&granularity=day&creativeId=${ids.crvA2}`)).totals.served).toBe(7);
    expect((await report(`${RANGE}&granularity=day&campaignId=${ids.campA1},${ids.campB1}&zoneId=${ids.zoneB}`)).totals.served).toBe(25);
  });

  it('breaks down by one or several dimensions; the totals are the sum of the series', async () => {
    const byCustomer = await report(`${RANGE}&granularity=day&by=customer`);
    expect(byCustomer.by).toEqual(['customer']);
    expect(totalsByKey(byCustomer.series)).toEqual({ [ids.custA]: 25, [ids.custB]: 20 });
    const two = await report(`${RANGE}&granularity=day&by=customer,zone`);
    expect(totalsByKey(two.series)).toEqual({ [`${ids.custA}|${ids.zoneA}`]: 20, [`${ids.custA}|${ids.zoneB}`]: 5, [`${ids.custB}|${ids.zoneB}`]: 20 });
    expect(two.series.find((s) => s.key === `${ids.custB}|${ids.zoneB}`)!.parts).toEqual([ids.custB, ids.zoneB]);
    const three = await report(`${RANGE}&granularity=hour&by=campaign,site,country&customerId=${ids.custA}`);
    expect(three.series.map((s) => s.parts)).toContainEqual([ids.campA2, ids.siteA, '']);
    for (const r of [byCustomer, two, three]) {
      for (const m of ['served', 'impressions', 'clicks', 'viewable', 'measurable', 'revenue'] as const) {
        expect(r.totals[m], m).toBe(r.series.reduce((a, s) => a + s.totals[m], 0));
      }
      for (const s of r.series) expect(s.totals.served).toBe(s.points.reduce((a, p) => a + p.served, 0));
    }
    expect(three.totals).toMatchObject({ served: 25, impressions: 22, clicks: 3 });
    // Reach is a campaign's daily sketch: not defined for hours or zone breakdowns.
    expect(three.series.flatMap((s) => s.points).every((p) => p.reach === null)).toBe(true);
  });

  it('keeps the campaign form as it was: one series keyed by the campaign', async () => {
    const r = await report(`campaignId=${ids.campA1}&${RANGE}&granularity=day&by=zone`);
    expect(totalsByKey(r.series)).toEqual({ [ids.zoneA]: 13, [ids.zoneB]: 5 });
    const one = await report(`campaignId=${ids.campA1}&${RANGE}&granularity=day`);
    expect(one.series.map((s) => s.key)).toEqual([ids.campA1]);
    expect(one.series[0]!.points.map((p) => p.served)).toEqual([15, 3]);
  });

  it('refuses bad dimensions and ids with clear messages; unknown customers and campaigns are 404', async () => {
    const cases: Array<[string, RegExp]> = [
      [`${RANGE}&granularity=day&by=city`, /by must name dimensions among customer, campaign, creative, site, zone, country/],
      [`${RANGE}&granularity=day&by=zone,zone`, /by names a dimension twice/],
      [`${RANGE}&granularity=day&by=customer,campaign,zone,site`, /by names 1 to 3 dimensions/],
      [`${RANGE}&granularity=day&zoneId=a;b`, /zoneId must be ids/],
      [`${RANGE}&granularity=day&siteId=,`, /siteId needs at least one id/],
      [`${RANGE}&granularity=day&country=Germany`, /country must be two-letter codes/],
      [`${RANGE}&granularity=day&customer=${ids.custA}`, /Unrecognized key|customer/],
    ];
    for (const [q, message] of cases) {
      const res = await analyst.get(`/api/stats?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(res.body.error), q).toMatch(message);
    }
    expect((await analyst.get(`/api/stats?${RANGE}&granularity=day&customerId=${ids.custA},${testId('customer')}`)).status).toBe(404);
    expect((await analyst.get(`/api/stats?${RANGE}&granularity=day&campaignId=${testId('campaign')}`)).status).toBe(404);
  });

  it('is open to every signed-in staff role and closed without a session', async () => {
    for (const role of ['admin', 'manager', 'management', 'reviewer', 'dpo'] as const) {
      const client = await signInAs(app, role);
      expect((await client.get(`/api/stats?${RANGE}&granularity=day`)).status, role).toBe(200);
    }
    expect((await anonymousClient(app).get(`/api/stats?${RANGE}&granularity=day`)).status).toBe(401);
  });
});

describe('GET /portal-api/stats', () => {
  it('answers for the own customer only, whatever the query asks', async () => {
    const own = await portal.get(`/portal-api/stats?${RANGE}&granularity=day&by=customer`);
    expect(own.status).toBe(200);
    expect(totalsByKey(own.body.series)).toEqual({ [ids.custA]: 25 });
    const byCampaign = await portal.get(`/portal-api/stats?${RANGE}&granularity=day&by=campaign&zoneId=${ids.zoneB}`);
    expect(totalsByKey(byCampaign.body.series)).toEqual({ [ids.campA1]: 5 });
    const plain = await portal.get(`/portal-api/stats?${RANGE}&granularity=day`);
    expect(plain.body.series.map((s: Series) => s.key)).toEqual([ids.custA]);
    expect(plain.body.totals.served).toBe(25);
    // Widening: another customer's id, alone or beside the own one, or its campaign.
    expect((await portal.get(`/portal-api/stats?${RANGE}&granularity=day&customerId=${ids.custB}`)).status).toBe(404);
    expect((await portal.get(`/portal-api/stats?${RANGE}&granularity=day&customerId=${ids.custA},${ids.custB}`)).status).toBe(404);
    expect((await portal.get(`/portal-api/stats?${RANGE}&granularity=day&campaignId=${ids.campA1},${ids.campB1}`)).status).toBe(404);
    // A site or zone shared with another customer's campaigns still shows only the own counts.
    const shared = await portal.get(`/portal-api/stats?${RANGE}&granularity=day&siteId=${ids.siteB}`);
    expect(shared.body.totals.served).toBe(5);
  });
});
