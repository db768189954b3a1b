import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayStartMs } from '../../../common/local-time';
import { DailyVisitorKey } from '../../delivery/daily-visitor-key';
import { DayClock } from '../../../common/local-clock';
import { refreshIndex, Seeder, testClock } from '../../delivery/test/seed';
import { signInAs, type AdminClient } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { StatsRepo } from '../stats-repo';

// One operator time zone (default Europe/Berlin) over HTTP: daily buckets start at local midnight,
// DST days have 23 and 25 hours, "today" and daily caps begin at local midnight, the daily rollup
// equals the hourly rows summed per local day (revenue too, across a price change), a zone change
// rebuilds it, and statement months follow the configured zone.
const BERLIN = 'Europe/Berlin';
const clock = testClock('2026-04-05T10:00:00Z');
const H = (iso: string) => Date.parse(iso) / 1000;
const HOUR = 3_600;

let app: TestApp;
let seed: Seeder;
let analyst: AdminClient;
beforeAll(async () => {
  app = await startTestApp({}, { now: clock.now });
  seed = new Seeder(app.ctx.db, clock.now());
  analyst = await signInAs(app, 'analyst');
});
afterAll(() => app.dispose());

/** Writes counts as a flush does (hourly and daily rollup in one transaction). */
function write(rows: Array<{ hour: number; campaignId: string; served: number; impressions?: number; viewable?: number; clicks?: number; zoneId?: string }>): void {
  const repo = app.services.stats.repo;
  repo.transaction(() => {
    for (const r of rows) {
      repo.add({ hour: r.hour, campaignId: r.campaignId, creativeId: 'crv_x', zoneId: r.zoneId ?? 'zon_x', siteId: 'sit_x', country: 'DE', served: r.served, impressions: r.impressions ?? 0, clicks: r.clicks ?? 0, viewable: r.viewable ?? 0, measurable: 0 });
    }
  });
}
/** One served decision in every hour of [from, to). */
const everyHour = (campaignId: string, from: string, to: string) => {
  const rows = [];
  for (let h = H(from); h < H(to); h += HOUR) rows.push({ hour: h, campaignId, served: 1 });
  return rows;
};
interface Point { t: string; served: number; impressions: number; revenue: number }
const points = async (q: string): Promise<Point[]> => {
  const res = await analyst.get(`/api/stats?${q}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.series[0].points as Point[];
};

describe('days of the operator time zone (Europe/Berlin)', () => {
  it('daily buckets start at local midnight; the spring-forward day has 23 hours, the fall-back day 25', async () => {
    const spring = seed.campaign();
    write(everyHour(spring, '2026-03-27T23:00:00Z', '2026-03-30T22:00:00Z'));
    // Dates mean local midnight: 2026-03-28 is 27 March 23:00 UTC (CET, UTC+1).
    expect((await points(`campaignId=${spring}&from=2026-03-28&to=2026-03-31&granularity=day`)).map((p) => [p.t, p.served])).toEqual([
      ['2026-03-27T23:00:00.000Z', 24],
      ['2026-03-28T23:00:00.000Z', 23],
      ['2026-03-29T22:00:00.000Z', 24],
    ]);
    const fall = seed.campaign();
    write(everyHour(fall, '2025-10-24T22:00:00Z', '2025-10-27T23:00:00Z'));
    expect((await points(`campaignId=${fall}&from=2025-10-25&to=2025-10-28&granularity=day`)).map((p) => [p.t, p.served])).toEqual([
      ['2025-10-24T22:00:00.000Z', 24],
      ['2025-10-25T22:00:00.000Z', 25],
      ['2025-10-26T23:00:00.000Z', 24],
    ]);
  });

  it('the daily rollup is the hourly rows summed per local day, revenue included, for random data across both DST changes', async () => {
    const a = seed.campaign();
    const b = seed.campaign();
    const insertPrice = app.ctx.db.prepare("INSERT INTO campaign_prices (campaign_id, effective_from, model, amount_micros, created_by, created_at) VALUES (?, ?, ?, ?, 'test', '2025-01-01T00:00:00Z')");
    insertPrice.run(a, '2025-01-01T00:00:00Z', 'cpm', 2_500_000);
    // A price change in the middle of the spring-forward day (10:00 UTC): that day is priced from its hours.
    insertPrice.run(a, '2026-03-29T10:00:00Z', 'cpm', 4_000_000);
    insertPrice.run(b, '2025-01-01T00:00:00Z', 'vcpm', 3_100_000);
    let seedValue = 7;
    const random = (n: number) => (seedValue = (seedValue * 1_103_515_245 + 12_345) % 2_147_483_648) % n;
    const rows = [];
    for (const [from, to] of [['2025-10-20T00:00:00Z', '2025-10-31T00:00:00Z'], ['2026-03-24T00:00:00Z', '2026-04-03T00:00:00Z']] as const) {
      for (let h = H(from); h < H(to); h += HOUR) {
        for (const campaignId of [a, b]) {
          if (random(4) === 0) continue;
          const served = random(50);
          rows.push({ hour: h, campaignId, served, impressions: random(served + 1), viewable: random(served + 1), zoneId: random(2) ? 'zon_a' : 'zon_b' });
        }
      }
    }
    write(rows);
    // Stored: each daily row is the sum of its hours.
    const daily = app.ctx.db.prepare('SELECT day, campaign_id AS c, zone_id AS z, served, impressions, viewable FROM stats_daily WHERE campaign_id IN (?, ?) ORDER BY day, c, z').all(a, b);
    const expected = new Map<string, { day: number; c: string; z: string; served: number; impressions: number; viewable: number }>();
    for (const r of rows) {
      const day = dayStartMs(r.hour * 1000, BERLIN) / 1000;
      const k = `${day}\t${r.campaignId}\t${r.zoneId}`;
      const e = expected.get(k) ?? { day, c: r.campaignId, z: r.zoneId, served: 0, impressions: 0, viewable: 0 };
      e.served += r.served;
      e.impressions += r.impressions;
      e.viewable += r.viewable;
      expected.set(k, e);
    }
    const sorted = [...expected.values()].sort((x, y) => x.day - y.day || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0) || (x.z < y.z ? -1 : 1));
    expect(daily).toEqual(sorted);
    // Answered: daily points (from the daily rollup, revenue per day from SQL) equal the hourly points summed per local day.
    for (const [from, to] of [['2025-10-20', '2025-10-31'], ['2026-03-24', '2026-04-03']]) {
      for (const campaignId of [a, b]) {
        const days = await points(`campaignId=${campaignId}&from=${from}&to=${to}&granularity=day`);
        const hours = await points(`campaignId=${campaignId}&from=${from}&to=${to}&granularity=hour`);
        const summed = new Map<string, { served: number; impressions: number; micros: number }>();
        for (const p of hours) {
          const t = new Date(dayStartMs(Date.parse(p.t), BERLIN)).toISOString();
          const s = summed.get(t) ?? { served: 0, impressions: 0, micros: 0 };
          s.served += p.served;
          s.impressions += p.impressions;
          s.micros += Math.round(p.revenue * 1e6);
          summed.set(t, s);
        }
        expect(days.map((p) => [p.t, p.served, p.impressions, Math.round(p.revenue * 1e6)])).toEqual([...summed].map(([t, s]) => [t, s.served, s.impressions, s.micros]));
        expect(days.some((p) => p.revenue > 0)).toBe(true);
      }
    }
  });

  it('rebuilds the daily rollup when the configured zone changes, and only then', () => {
    const c = seed.campaign();
    write(everyHour(c, '2026-02-10T00:00:00Z', '2026-02-12T00:00:00Z'));
    const days = (): Array<[number, number]> => app.ctx.db.prepare('SELECT day, SUM(served) FROM stats_daily WHERE campaign_id = ? GROUP BY day ORDER BY day').raw().all(c) as Array<[number, number]>;
    expect(days()).toEqual([[H('2026-02-09T23:00:00Z'), 23], [H('2026-02-10T23:00:00Z'), 24], [H('2026-02-11T23:00:00Z'), 1]]);
    const newYork = new StatsRepo(app.ctx.db, new DayClock('America/New_York'));
    expect(newYork.ensureDaily()).toBe(true);
    expect(app.ctx.db.prepare('SELECT time_zone FROM stats_daily_zone').pluck().get()).toBe('America/New_York');
    expect(days()).toEqual([[H('2026-02-09T05:00:00Z'), 5], [H('2026-02-10T05:00:00Z'), 24], [H('2026-02-11T05:00:00Z'), 19]]);
    expect(newYork.ensureDaily()).toBe(false);
    expect(new StatsRepo(app.ctx.db, new DayClock(BERLIN)).ensureDaily()).toBe(true);
    expect(days()).toEqual([[H('2026-02-09T23:00:00Z'), 23], [H('2026-02-10T23:00:00Z'), 24], [H('2026-02-11T23:00:00Z'), 1]]);
  });

  it('"today" of the summary starts at local midnight', async () => {
    clock.set('2026-04-05T21:30:00Z'); // 23:30 in Berlin (CEST)
    analyst = await signInAs(app, 'analyst'); // the earlier session idled out on the moved clock
    const res = await analyst.get('/api/stats/summary');
    expect(res.status).toBe(200);
    expect(res.body.from).toBe('2026-04-04T22:00:00.000Z');
    clock.set('2026-04-05T22:30:00Z'); // 00:30 on 6 April
    expect((await analyst.get('/api/stats/summary')).body.from).toBe('2026-04-05T22:00:00.000Z');
  });

  it('daily caps reset at local midnight, not at UTC midnight', async () => {
    clock.set('2026-04-06T21:50:00Z'); // 23:50 in Berlin
    const s = seed.simple({ dailyCap: 1, startsAt: new Date('2026-04-01T00:00:00Z'), endsAt: new Date('2026-05-01T00:00:00Z') });
    await refreshIndex(app);
    const decide = async () => (await fetch(`${app.deliveryUrl}/v1/decision?zone=${s.zoneId}`)).status;
    expect(await decide()).toBe(200);
    expect(await decide()).toBe(204);
    clock.set('2026-04-06T22:00:30Z'); // 00:00:30 on 7 April in Berlin, still 6 April in UTC
    expect(await decide()).toBe(200);
    expect(await decide()).toBe(204);
    clock.set('2026-04-06T23:59:00Z'); // UTC midnight ahead: nothing resets there
    expect(await decide()).toBe(204);
  });

  it('the visitor key (per-visitor caps, reach) is replaced at local midnight', () => {
    const key = new DailyVisitorKey(new DayClock(BERLIN));
    let replaced = 0;
    key.onReplaced = () => replaced++;
    const before = key.hash(Date.parse('2026-04-06T21:59:59Z'), '192.0.2.1', 'UA', 'sit_a');
    expect(key.hash(Date.parse('2026-04-06T20:00:00Z'), '192.0.2.1', 'UA', 'sit_a')).toBe(before);
    expect(key.hash(Date.parse('2026-04-06T22:00:00Z'), '192.0.2.1', 'UA', 'sit_a')).not.toBe(before);
    expect(replaced).toBe(1);
  });
});

describe('another configured zone (America/New_York)', () => {
  let ny: TestApp;
  const nyClock = testClock('2025-07-10T12:00:00Z');
  beforeAll(async () => {
    ny = await startTestApp({ timeZone: 'America/New_York' }, { now: nyClock.now });
  });
  afterAll(() => ny.dispose());

  it('statement months, daily buckets and the console config follow it', async () => {
    const nySeed = new Seeder(ny.ctx.db, nyClock.now());
    const customerId = nySeed.customer();
    const manager = await signInAs(ny, 'manager');
    const statement = await manager.get(`/api/customers/${customerId}/statements/2025-06`);
    expect(statement.status).toBe(200);
    expect(statement.body).toMatchObject({ month: '2025-06', timeZone: 'America/New_York', from: '2025-06-01T04:00:00.000Z', to: '2025-07-01T04:00:00.000Z' });
    const stats = await manager.get(`/api/stats?customerId=${customerId}&from=2025-07-01&to=2025-07-03&granularity=day`);
    expect(stats.body.series[0].points.map((p: Point) => p.t)).toEqual(['2025-07-01T04:00:00.000Z', '2025-07-02T04:00:00.000Z']);
    expect((await manager.get('/api/config')).body.timeZone).toBe('America/New_York');
  });
});
