import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type AdminClient } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { json, refreshIndex, Seeder, testClock, testId } from '../../delivery/test/seed';

// Goals, pacing and prices over the admin API, and revenue in statistics computed from counts made
// by real decisions, impressions and clicks (viewable through the counters, as /v1/view does).
const clock = testClock('2025-06-02T09:15:00Z');
const FLIGHT = { startsAt: new Date('2025-06-01T00:30:00Z'), endsAt: new Date('2025-06-11T00:30:00Z') }; // 240 hours

let app: TestApp;
let seed: Seeder;
let manager: AdminClient;
let analyst: AdminClient;
let customerId: string;
let zoneId: string;
const priced: Record<'cpm' | 'vcpm' | 'cpc' | 'flat', { campaignId: string; zoneId: string }> = {} as never;

/** `n` decisions in a zone at the clock's time, each with its impression, click and viewable count. */
async function activity(s: { campaignId: string; creativeId: string; zoneId: string; siteId: string }, n: number) {
  const counters = app.services.stats.counters;
  const key = counters.key(s.campaignId, s.creativeId, s.zoneId, s.siteId);
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${app.deliveryUrl}/v1/decision?zone=${s.zoneId}`);
    expect(res.status).toBe(200);
    const d = await json(res);
    expect((await fetch(d.impressionUrl)).status).toBe(200);
    expect((await fetch(d.clickUrl, { redirect: 'manual' })).status).toBe(302);
    counters.viewable(key, clock.now().getTime());
  }
}

beforeAll(async () => {
  app = await startTestApp({ timeZone: 'UTC' }, { now: clock.now });
  seed = new Seeder(app.ctx.db, clock.now());
  const campaigns = (['cpm', 'vcpm', 'cpc', 'flat'] as const).map((model) => [model, seed.simple(FLIGHT)] as const);
  await refreshIndex(app);
  // Per campaign: 2 of everything at 09:15, 1 at 10:45 (after the change's time, but inside its hour), 3 at 11:15.
  for (const [at, n] of [['2025-06-02T09:15:00Z', 2], ['2025-06-02T10:45:00Z', 1], ['2025-06-02T11:15:00Z', 3]] as const) {
    clock.set(at);
    for (const [, s] of campaigns) await activity(s, n);
  }
  app.services.stats.flush();
  manager = await signInAs(app, 'manager');
  analyst = await signInAs(app, 'analyst');
  const first = { cpm: 2, vcpm: 10, cpc: 0.5, flat: 240 };
  const changed = { cpm: 5, vcpm: 20, cpc: 0.8, flat: 480 };
  for (const [model, s] of campaigns) {
    priced[model] = s;
    expect((await manager.post(`/api/campaigns/${s.campaignId}/prices`, { model, amount: first[model], effectiveFrom: '2025-06-01T12:00:00Z' })).status).toBe(201);
    // 10:30 applies from 11:00: an hour never has two prices.
    expect((await manager.post(`/api/campaigns/${s.campaignId}/prices`, { model, amount: changed[model], effectiveFrom: '2025-06-02T10:30:00Z' })).status).toBe(201);
  }
  const placement = seed.placement();
  customerId = placement.customerId;
  zoneId = placement.zoneId;
});
afterAll(() => app.dispose());

const create = (body: object) =>
  manager.post('/api/campaigns', { customerId, name: 'Goals', startsAt: '2025-06-01T00:00:00Z', endsAt: '2025-07-01T00:00:00Z', zoneIds: [zoneId], ...body });

describe('campaign goals and pacing over the admin API', () => {
  it('creates and reads goals of each kind with pacing, and keeps impressionGoal working both ways', async () => {
    const clicks = await create({ goal: { kind: 'clicks', count: 50 }, pacing: 'asap', price: { model: 'cpc', amount: 0.35 } });
    expect(clicks.status).toBe(201);
    expect(clicks.body).toMatchObject({ goal: { kind: 'clicks', count: 50 }, pacing: 'asap', impressionGoal: null, price: { model: 'cpc', amount: 0.35, effectiveFrom: '2025-06-01T00:00:00.000Z' } });
    const old = await create({ impressionGoal: 1000 });
    expect(old.body).toMatchObject({ goal: { kind: 'impressions', count: 1000 }, pacing: 'even', impressionGoal: 1000, price: null });

    const id = clicks.body.id;
    const toViewable = await manager.patch(`/api/campaigns/${id}`, { goal: { kind: 'viewable', count: 70 }, pacing: 'even' });
    expect(toViewable.body).toMatchObject({ goal: { kind: 'viewable', count: 70 }, pacing: 'even', impressionGoal: null });
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'campaign.update' })[0]!.details).toEqual({ fields: ['goal', 'pacing'] });
    const toImpressions = await manager.patch(`/api/campaigns/${id}`, { impressionGoal: 900 });
    expect(toImpressions.body).toMatchObject({ goal: { kind: 'impressions', count: 900 }, impressionGoal: 900, pacing: 'even' });
    expect((await manager.patch(`/api/campaigns/${id}`, { goal: null })).body).toMatchObject({ goal: null, impressionGoal: null });
    expect((await analyst.get(`/api/campaigns/${id}`)).body.goal).toBeNull();
  });

  it('refuses bad goals and pacings with messages that say what to send', async () => {
    const cases: Array<[object, string]> = [
      [{ goal: { kind: 'reach', count: 5 } }, 'The goal kind is impressions, viewable or clicks.'],
      [{ goal: { kind: 'clicks', count: 0 } }, 'A goal is at least 1.'],
      [{ goal: { kind: 'clicks', count: 1.5 } }, 'Use a whole number.'],
      [{ goal: { kind: 'clicks' } }, 'Enter the goal as a whole number.'],
      [{ pacing: 'fast' }, 'Pacing is even or asap.'],
      [{ goal: { kind: 'clicks', count: 5 }, impressionGoal: 5 }, 'Send goal or impressionGoal, not both.'],
      [{ price: { model: 'cpa', amount: 1 } }, 'The price model is cpm, vcpm, cpc or flat.'],
      [{ price: { model: 'cpm', amount: -1 } }, 'A price cannot be negative.'],
    ];
    for (const [body, message] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message, JSON.stringify(body)).toContain(message);
    }
  });
});

describe('price history API', () => {
  it('lists the history in effect order; the campaign read carries the price in effect now', async () => {
    const { campaignId } = priced.cpm;
    const res = await analyst.get(`/api/campaigns/${campaignId}/prices`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { model: string; amount: number; effectiveFrom: string }) => [p.model, p.amount, p.effectiveFrom])).toEqual([
      ['cpm', 2, '2025-06-01T12:00:00.000Z'],
      ['cpm', 5, '2025-06-02T10:30:00.000Z'],
    ]);
    expect(res.body.items[0].createdBy).toBe(manager.user!.id);
    expect((await analyst.get(`/api/campaigns/${campaignId}`)).body.price).toMatchObject({ model: 'cpm', amount: 5 }); // clock: 11:15
    const entries = app.ctx.audit.list({ limit: 100, actionPrefix: 'campaign.price' }).filter((e) => e.target === campaignId);
    expect(entries).toHaveLength(2);
    expect(entries[0]!.actor).toBe(manager.user!.id);
  });

  it('goes out with the campaign in the customer export (without who entered it)', async () => {
    const { campaignId } = priced.cpm;
    const owner = app.ctx.db.prepare('SELECT customer_id FROM campaigns WHERE id = ?').pluck().get(campaignId) as string;
    const admin = await signInAs(app, 'admin');
    const res = await admin.get(`/api/customers/${owner}/export`);
    expect(res.status).toBe(200);
    const exported = res.body.campaigns.find((c: { id: string }) => c.id === campaignId);
    expect(exported.prices).toEqual([
      { effectiveFrom: '2025-06-01T12:00:00.000Z', model: 'cpm', amountMicros: 2_000_000 },
      { effectiveFrom: '2025-06-02T10:30:00.000Z', model: 'cpm', amountMicros: 5_000_000 },
    ]);
    expect(exported).toMatchObject({ goalKind: 'impressions', pacing: 'even' });
  });

  it('lets the roles that edit campaigns change prices, and no one else', async () => {
    const { campaignId } = priced.cpc;
    const body = { model: 'cpc', amount: 1 };
    expect((await analyst.post(`/api/campaigns/${campaignId}/prices`, body)).status).toBe(403);
    const reviewer = await signInAs(app, 'reviewer');
    expect((await reviewer.post(`/api/campaigns/${campaignId}/prices`, body)).status).toBe(403);
    expect((await reviewer.get(`/api/campaigns/${campaignId}/prices`)).status).toBe(200);
  });

  it('validates price changes and answers 404 for an unknown campaign', async () => {
    const { campaignId } = priced.cpc;
    const cases: Array<[object, string]> = [
      [{ model: 'cpm', amount: 'x' }, 'Enter the price in EUR as a number.'],
      [{ model: 'cpm', amount: 2e7 }, 'A price is at most 10 000 000 EUR.'],
      [{ model: 'cpm', amount: 1, effectiveFrom: 'tomorrow' }, 'Enter a time like'],
      [{ model: 'cpm', amount: 1, effectiveFrom: '2025-06-11T00:30:00Z' }, 'effectiveFrom must be before the end of the flight.'],
      [{ model: 'cpm', amount: 1, extra: 1 }, 'extra'],
    ];
    for (const [body, message] of cases) {
      const res = await manager.post(`/api/campaigns/${campaignId}/prices`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toContain(message);
    }
    expect((await manager.post(`/api/campaigns/${testId('campaign')}/prices`, { model: 'cpm', amount: 1 })).status).toBe(404);
    expect((await manager.get(`/api/campaigns/${testId('campaign')}/prices`)).status).toBe(404);
    expect((await analyst.get(`/api/campaigns/${campaignId}/prices`)).body.items).toHaveLength(2);
  });
});

describe('revenue in statistics across a price change at 10:30 (applies from 11:00)', () => {
  const hours = async (model: keyof typeof priced, q = '') => {
    const res = await analyst.get(`/api/stats?campaignId=${priced[model].campaignId}&from=2025-06-02T09:00:00Z&to=2025-06-02T12:00:00Z&granularity=hour${q}`);
    expect(res.status).toBe(200);
    return res.body.series;
  };
  const revenues = async (model: keyof typeof priced) => (await hours(model))[0].points.map((p: { revenue: number }) => p.revenue);

  it('cpm: per 1000 impressions at the price of each hour', async () => {
    // 2 × 2 €/1000, 1 × 2 €/1000 (10:45 is in the hour that started before the change), 3 × 5 €/1000.
    expect(await revenues('cpm')).toEqual([0.004, 0.002, 0.015]);
  });

  it('vcpm: per 1000 viewable impressions', async () => {
    expect(await revenues('vcpm')).toEqual([0.02, 0.01, 0.06]);
  });

  it('cpc: per click', async () => {
    expect(await revenues('cpc')).toEqual([1, 0.5, 2.4]);
  });

  it('flat: the fee spread evenly over the flight hours, whatever was counted; the first hour pays its half', async () => {
    // 240 € over 240 hours = 1 €/hour, then 480 € = 2 €/hour from 11:00.
    expect(await revenues('flat')).toEqual([1, 1, 2]);
    const res = await analyst.get(`/api/stats?campaignId=${priced.flat.campaignId}&from=2025-06-01T00:00:00Z&to=2025-06-01T02:00:00Z&granularity=hour`);
    expect(res.body.series[0].points.map((p: { revenue: number }) => p.revenue)).toEqual([0.5, 1]);
    // The whole day: 11 hours (00–10) at 1 €, 13 hours (11–23) at 2 €.
    const day = await analyst.get(`/api/stats?campaignId=${priced.flat.campaignId}&from=2025-06-02&to=2025-06-03&granularity=day`);
    expect(day.body.series[0].points[0].revenue).toBe(11 * 1 + 13 * 2);
  });

  it('adds up daily, splits counted revenue by dimension and leaves the flat fee to the unsplit series', async () => {
    const day = await analyst.get(`/api/stats?campaignId=${priced.cpc.campaignId}&from=2025-06-02&to=2025-06-03&granularity=day`);
    expect(day.body.series[0].points[0].revenue).toBe(3.9);
    const byZone = await hours('cpc', '&by=zone');
    expect(byZone.map((s: { key: string }) => s.key)).toEqual([priced.cpc.zoneId]);
    expect(byZone[0].points.map((p: { revenue: number }) => p.revenue)).toEqual([1, 0.5, 2.4]);
    const flatByZone = await hours('flat', '&by=zone');
    expect(flatByZone[0].points.map((p: { revenue: number }) => p.revenue)).toEqual([0, 0, 0]);
  });

  it('summary totals carry each campaign revenue and their sum', async () => {
    const res = await analyst.get('/api/stats/summary?from=2025-06-02T09:00:00Z&to=2025-06-02T12:00:00Z');
    expect(res.status).toBe(200);
    const of = (m: keyof typeof priced) => res.body.campaigns.find((c: { campaignId: string }) => c.campaignId === priced[m].campaignId).revenue;
    expect([of('cpm'), of('vcpm'), of('cpc'), of('flat')]).toEqual([0.021, 0.09, 3.9, 4]);
    expect(res.body.total.revenue).toBeCloseTo(0.021 + 0.09 + 3.9 + 4, 6);
    // A range without counts: the flat campaign is still listed, with 3 hours of its fee (2 €/hour by then).
    const quiet = await analyst.get('/api/stats/summary?from=2025-06-03T00:00:00Z&to=2025-06-03T03:00:00Z');
    expect(quiet.body.campaigns).toEqual([{ campaignId: priced.flat.campaignId, served: 0, impressions: 0, clicks: 0, viewable: 0, measurable: 0, revenue: 6, reachDailySum: 0 }]);
  });
});
