import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayStartMs, nextDayStartMs } from '../../../common/local-time';
import { DayClock } from '../../../common/local-clock';
import { effectiveHourMs, priceAt } from '../../../common/schemas/pricing';
import { REPORT_KEY_SEPARATOR, type ReportDimension, type ReportFilters } from '../../../common/schemas/stats';
import { Seeder, testClock, testId } from '../../delivery/test/seed';
import { signInAs, type AdminClient } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { migrate, openDatabase } from '../../store/database';
import { MIGRATIONS } from '../../store/migrations';
import { reportBuckets } from '../report-query';
import { ReportRepo } from '../report-repo';
import type { Db } from '../../store/database';
import { priceHistories, revenueSegments } from '../revenue';
import { StatsRepo, type RollupDelta } from '../stats-repo';
import { checkCustomerRollups } from './customer-rollups';

// Counted revenue (cpm, vcpm, cpc) is a counter of the rollups, priced by the flush at the price in
// force in each hour and recomputed when prices change later (stats_revenue_dirty). On random data
// (several campaigns, all three models, changes mid-day and mid-flight, a switch to a flat fee,
// prices added after counts were flushed, a correction with a past effective time, flushes before
// and after, a rebuild for another zone and back, Europe/Berlin across the spring-forward day)
// every report's revenue must equal (a) the segment computation over the counts (revenue-sql.ts,
// which statements use) and (b) a plain sum of the hourly rows priced hour by hour here; the
// stored counters must equal the priced hourly rows and their sums per local day.
const BERLIN = 'Europe/Berlin';
const clock = testClock('2026-04-05T10:00:00Z');
const H = (iso: string): number => Date.parse(iso) / 1000;
const HOUR = 3_600;
const FROM = '2026-03-20T00:00:00Z';
const TO = '2026-04-06T00:00:00Z';

type Model = 'cpm' | 'vcpm' | 'cpc' | 'flat';
let app: TestApp;
let analyst: AdminClient;
const customers: string[] = [];
const campaigns: Array<{ id: string; customerId: string }> = [];
const creatives: string[] = [];
const zones = ['zon_a', 'zon_b', 'zon_c'];
const sites: Record<string, string> = { zon_a: 'sit_1', zon_b: 'sit_1', zon_c: 'sit_2' };
const countries = ['DE', 'AT', ''];
/** Prices per campaign as stored (effective hour, then insertion order), mirrored here. */
const prices = new Map<string, Array<{ effectiveHourMs: number; model: Model; micros: number; seq: number }>>();
let seq = 0;
/** The campaign that switches to a flat fee: campaign-level reports leave it out (the flat fee is not counted revenue). */
let flatCampaign = '';

let seedValue = 20_261_203;
const random = (n: number): number => (seedValue = (seedValue * 1_103_515_245 + 12_345) % 2_147_483_648) % n;

function price(campaignId: string, effectiveFrom: string, model: Model, micros: number): void {
  app.ctx.db
    .prepare("INSERT INTO campaign_prices (campaign_id, effective_from, model, amount_micros, created_by, created_at) VALUES (?, ?, ?, ?, 'test', '2026-01-01T00:00:00Z')")
    .run(campaignId, effectiveFrom, model, micros);
  const list = prices.get(campaignId) ?? [];
  list.push({ effectiveHourMs: effectiveHourMs(effectiveFrom), model, micros, seq: seq++ });
  // As the stores order them: by effective time, then insertion.
  list.sort((a, b) => a.effectiveHourMs - b.effectiveHourMs || a.seq - b.seq);
  prices.set(campaignId, list);
}

/** Random counts for every campaign in some hours of [from, to), written by the flush path. */
function flushRandom(from: string, to: string): void {
  const repo = app.services.stats.repo;
  const deltas: RollupDelta[] = [];
  for (let h = H(from); h < H(to); h += HOUR) {
    for (const c of campaigns) {
      if (random(3) === 0) continue;
      for (let k = 1 + random(2); k > 0; k--) {
        const zoneId = zones[random(zones.length)]!;
        const served = random(40);
        deltas.push({
          hour: h, campaignId: c.id, creativeId: creatives[random(creatives.length)]!, zoneId, siteId: sites[zoneId]!, country: countries[random(countries.length)]!,
          served, impressions: random(served + 1), clicks: random(4), viewable: random(served + 1), measurable: random(served + 1),
        });
      }
    }
  }
  repo.transaction(() => repo.addAll(deltas));
}

/** Counted revenue of counts at the price in force in their hour, in micro-euros × 1000 (exact). */
function milliAt(campaignId: string, hour: number, r: { impressions: number; viewable: number; clicks: number }): number {
  const p = priceAt(prices.get(campaignId) ?? [], hour * 1000);
  if (!p) return 0;
  return p.model === 'cpm' ? r.impressions * p.micros : p.model === 'vcpm' ? r.viewable * p.micros : p.model === 'cpc' ? r.clicks * p.micros * 1000 : 0;
}

interface HourRow { hour: number; campaignId: string; creativeId: string; zoneId: string; siteId: string; country: string; impressions: number; viewable: number; clicks: number; revenue: number }
const hourlyRows = (): HourRow[] =>
  app.ctx.db
    .prepare('SELECT hour, campaign_id AS campaignId, creative_id AS creativeId, zone_id AS zoneId, site_id AS siteId, country, impressions, viewable, clicks, revenue FROM stats_hourly')
    .all() as HourRow[];

/** The stored counters: each hourly row priced at its hour, each daily row the sum of its day's hourly rows in `timeZone`. */
function checkStored(timeZone: string): void {
  app.services.stats.repo.settleRevenue();
  expect(app.ctx.db.prepare('SELECT COUNT(*) FROM stats_revenue_dirty').pluck().get()).toBe(0);
  const rows = hourlyRows();
  let priced = 0;
  const daily = new Map<string, number>();
  const campaignDaily = new Map<string, number>();
  for (const r of rows) {
    const want = milliAt(r.campaignId, r.hour, r);
    expect(r.revenue, `${r.campaignId} ${new Date(r.hour * 1000).toISOString()}`).toBe(want);
    if (want > 0) priced++;
    const day = dayStartMs(r.hour * 1000, timeZone) / 1000;
    const k = [day, r.campaignId, r.creativeId, r.zoneId, r.siteId, r.country].join('\t');
    daily.set(k, (daily.get(k) ?? 0) + r.revenue);
    campaignDaily.set(`${day}\t${r.campaignId}`, (campaignDaily.get(`${day}\t${r.campaignId}`) ?? 0) + r.revenue);
  }
  expect(priced).toBeGreaterThan(100);
  const storedDaily = app.ctx.db.prepare('SELECT day, campaign_id, creative_id, zone_id, site_id, country, revenue FROM stats_daily').raw().all() as unknown[][];
  expect(new Map(storedDaily.map((r) => [r.slice(0, 6).join('\t'), r[6] as number]))).toEqual(daily);
  const storedCampaign = app.ctx.db.prepare('SELECT day, campaign_id, revenue FROM stats_campaign_daily').raw().all() as unknown[][];
  expect(new Map(storedCampaign.map((r) => [r.slice(0, 2).join('\t'), r[2] as number]))).toEqual(campaignDaily);
  checkCustomerRollups(app.ctx.db);
}

const PARAM: Record<ReportDimension, string> = { customer: 'customerId', campaign: 'campaignId', creative: 'creativeId', site: 'siteId', zone: 'zoneId', country: 'country' };

/** Report revenue in micro-euros per "key\tbucket" (non-zero only), from the API. */
async function answered(granularity: 'hour' | 'day', by: readonly ReportDimension[], f: ReportFilters, from: string, to: string): Promise<Map<string, number>> {
  const q = Object.entries(f).map(([d, v]) => `&${PARAM[d as ReportDimension]}=${(v as string[]).join(',')}`).join('');
  const res = await analyst.get(`/api/stats?from=${from}&to=${to}&granularity=${granularity}${by.length ? `&by=${by.join(',')}` : ''}${q}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const out = new Map<string, number>();
  for (const s of res.body.series as Array<{ key: string; points: Array<{ t: string; revenue: number }> }>) {
    for (const p of s.points) if (p.revenue !== 0) out.set(`${by.length ? s.key : ''}\t${Date.parse(p.t) / 1000}`, Math.round(p.revenue * 1e6));
  }
  return out;
}

/** The old way: each price segment joined to the rollup rows (revenue-sql.ts), summed exactly per key and bucket. */
function segmentOracle(granularity: 'hour' | 'day', by: readonly ReportDimension[], f: ReportFilters, from: string, to: string): Map<string, number> {
  const days = app.services.stats.days;
  const range = reportBuckets(granularity, Date.parse(from), Date.parse(to), clock.now().getTime(), days);
  const reports = app.services.stats.reports;
  const histories = priceHistories(reports.priceHistories(f));
  const segments = revenueSegments(histories, range.from, range.to, granularity === 'day' ? days : null, (d) => nextDayStartMs(d, days.timeZone));
  const milli = new Map<string, number>();
  for (const r of reports.revenue(segments, f, by, REPORT_KEY_SEPARATOR)) {
    const k = `${by.length ? r.key : ''}\t${r.bucket}`;
    milli.set(k, (milli.get(k) ?? 0) + r.milli);
  }
  return rounded(milli);
}

/** The plain way: every hourly row priced at its hour, summed per key and bucket. */
function plainOracle(granularity: 'hour' | 'day', by: readonly ReportDimension[], f: ReportFilters, from: string, to: string): Map<string, number> {
  const days = app.services.stats.days;
  const range = reportBuckets(granularity, Date.parse(from), Date.parse(to), clock.now().getTime(), days);
  const customerOf = new Map(campaigns.map((c) => [c.id, c.customerId]));
  const milli = new Map<string, number>();
  for (const r of hourlyRows()) {
    if (r.hour < range.from || r.hour >= range.to) continue;
    const dims: Record<ReportDimension, string> = { customer: customerOf.get(r.campaignId) ?? '', campaign: r.campaignId, creative: r.creativeId, site: r.siteId, zone: r.zoneId, country: r.country };
    if (Object.entries(f).some(([d, v]) => !(v as string[]).includes(dims[d as ReportDimension]))) continue;
    const bucket = granularity === 'hour' ? r.hour : dayStartMs(r.hour * 1000, days.timeZone) / 1000;
    const k = `${by.map((d) => dims[d]).join(REPORT_KEY_SEPARATOR)}\t${bucket}`;
    milli.set(k, (milli.get(k) ?? 0) + milliAt(r.campaignId, r.hour, r));
  }
  return rounded(milli);
}

const rounded = (milli: Map<string, number>): Map<string, number> => new Map([...milli].filter(([, m]) => m !== 0).map(([k, m]) => [k, Math.round(m / 1000)]));

/** Report shapes: campaign-level ones (the flat campaign left out), and finer ones (no flat fee is placed there). */
function shapes(): Array<{ by: ReportDimension[]; f: ReportFilters }> {
  const counted = campaigns.map((c) => c.id).filter((id) => id !== flatCampaign);
  return [
    { by: [], f: { campaign: counted } },
    { by: ['customer'], f: { campaign: counted } },
    { by: ['campaign'], f: { customer: [customers[0]!], campaign: counted } },
    { by: ['customer', 'campaign'], f: { campaign: counted } },
    { by: ['zone'], f: {} },
    { by: ['country', 'campaign'], f: { site: ['sit_1'] } },
    { by: [], f: { creative: creatives.slice(0, 2) } },
    { by: ['site'], f: { campaign: [flatCampaign, campaigns[0]!.id] } },
    // From the customer rollups: customers without the flat campaign (it is the first customer's).
    { by: ['customer'], f: { customer: [customers[1]!, customers[2]!] } },
    { by: [], f: { customer: [customers[2]!] } },
  ];
}

async function checkReports(): Promise<void> {
  let nonEmpty = 0;
  for (const { by, f } of shapes()) {
    for (const [granularity, from, to] of [['day', FROM, TO], ['hour', '2026-03-28T18:00:00Z', '2026-03-30T06:00:00Z']] as const) {
      const got = await answered(granularity, by, f, from, to);
      const label = `${granularity} by ${by.join(',')} ${JSON.stringify(f)}`;
      expect(got, label).toEqual(segmentOracle(granularity, by, f, from, to));
      expect(got, label).toEqual(plainOracle(granularity, by, f, from, to));
      if (got.size > 0) nonEmpty++;
    }
  }
  expect(nonEmpty).toBe(shapes().length * 2);
}

beforeAll(async () => {
  app = await startTestApp({ timeZone: BERLIN }, { now: clock.now });
  const seed = new Seeder(app.ctx.db, clock.now());
  for (let i = 0; i < 3; i++) customers.push(seed.customer());
  for (let i = 0; i < 7; i++) {
    const customerId = customers[i % 3]!;
    campaigns.push({ id: seed.campaign({ customerId, startsAt: new Date('2026-03-01T00:00:00Z'), endsAt: new Date('2026-05-01T00:00:00Z') }), customerId });
  }
  for (let i = 0; i < 4; i++) creatives.push(testId('creative'));
  flatCampaign = campaigns[6]!.id;
  // Priced before any count: the flush prices them.
  price(campaigns[0]!.id, '2026-03-01T00:00:00Z', 'cpm', 2_500_000);
  price(campaigns[0]!.id, '2026-03-29T10:00:00Z', 'cpm', 4_000_000); // inside the 23-hour day
  price(campaigns[1]!.id, '2026-03-01T00:00:00Z', 'vcpm', 3_100_000);
  price(campaigns[2]!.id, '2026-03-01T00:00:00Z', 'cpc', 150_000);
  price(campaigns[2]!.id, '2026-03-25T13:20:00Z', 'cpm', 1_700_000); // rounds up to 14:00, another model
  price(flatCampaign, '2026-03-01T00:00:00Z', 'cpm', 1_100_000);
  price(flatCampaign, '2026-03-27T07:00:00Z', 'flat', 500_000_000); // mid-flight to a flat fee
  // campaigns[3] and [4] get prices only after counts exist; campaigns[5] never.
  // Nothing is left to recompute when the counts are flushed: the flush alone must price them.
  app.services.stats.repo.settleRevenue();
  flushRandom('2026-03-22T00:00:00Z', '2026-03-31T00:00:00Z');
  analyst = await signInAs(app, 'analyst');
});
afterAll(() => app.dispose());

describe('counted revenue stored in the rollups', () => {
  it('is priced by the flush at the price of each hour', async () => {
    expect(app.ctx.db.prepare('SELECT COUNT(*) FROM stats_revenue_dirty').pluck().get()).toBe(0);
    checkStored(BERLIN);
    await checkReports();
  });

  it('is recomputed when prices are added after the counts, first prices and changes mid-day', async () => {
    price(campaigns[3]!.id, '2026-03-10T00:00:00Z', 'vcpm', 900_000);
    price(campaigns[4]!.id, '2026-03-26T11:40:00Z', 'cpc', 70_000); // the first price: counts from the beginning
    price(campaigns[4]!.id, '2026-03-28T16:00:00Z', 'cpm', 650_000);
    expect(app.ctx.db.prepare('SELECT COUNT(*) FROM stats_revenue_dirty').pluck().get()).toBe(2);
    // The report settles first (checkStored would, too): reports go first here.
    await checkReports();
    checkStored(BERLIN);
  });

  it('keeps equal through further flushes and a correction inserted later with a past effective time', async () => {
    flushRandom('2026-03-30T20:00:00Z', '2026-04-05T10:00:00Z');
    expect(app.ctx.db.prepare('SELECT COUNT(*) FROM stats_revenue_dirty').pluck().get()).toBe(0);
    checkStored(BERLIN);
    price(campaigns[0]!.id, '2026-03-24T15:30:00Z', 'vcpm', 1_900_000); // between the two earlier prices
    price(campaigns[1]!.id, '2026-02-01T00:00:00Z', 'cpc', 80_000); // before every other: the new first price
    flushRandom('2026-03-23T00:00:00Z', '2026-03-24T00:00:00Z'); // flushed while dirty: priced now, recomputed anyway
    await checkReports();
    checkStored(BERLIN);
  });

  it('survives a rebuild for another zone and back', async () => {
    price(campaigns[2]!.id, '2026-03-29T00:30:00Z', 'vcpm', 2_000_000);
    const newYork = new StatsRepo(app.ctx.db, new DayClock('America/New_York'));
    expect(newYork.ensureDaily()).toBe(true);
    newYork.settleRevenue();
    checkStored('America/New_York');
    expect(new StatsRepo(app.ctx.db, new DayClock(BERLIN)).ensureDaily()).toBe(true);
    checkStored(BERLIN);
    await checkReports();
  });

  it('drops the revenue of a campaign whose prices go (a customer erased), as the segments do', async () => {
    const seed = new Seeder(app.ctx.db, clock.now());
    const gone = seed.customer();
    const campaign = { id: seed.campaign({ customerId: gone }), customerId: gone };
    campaigns.push(campaign);
    price(campaign.id, '2026-03-01T00:00:00Z', 'cpm', 3_000_000);
    flushRandom('2026-03-27T00:00:00Z', '2026-03-28T00:00:00Z');
    checkStored(BERLIN);
    app.ctx.db.prepare('DELETE FROM campaigns WHERE id = ?').run(campaign.id);
    prices.delete(campaign.id);
    campaigns.pop();
    checkStored(BERLIN);
    await checkReports();
  });
});

describe('report reads with revenue', () => {
  it('stay on the covering indexes: the counter is in them', () => {
    const seen: string[] = [];
    const db = app.ctx.db;
    const recording = { prepare: (sql: string) => (seen.push(sql), db.prepare(sql)) } as unknown as Db;
    const repo = new ReportRepo(recording);
    const range = [H('2025-04-05T00:00:00Z'), H('2026-04-05T00:00:00Z')] as const;
    repo.rows({}, ['campaign'], ...range, 'day', '|'); // stats_campaign_daily
    repo.rows({}, ['zone'], ...range, 'day', '|'); // stats_daily
    repo.rows({}, ['campaign'], ...range, 'hour', '|'); // stats_hourly
    repo.rows({}, ['customer'], ...range, 'day', '|'); // stats_customer_daily
    repo.rows({}, ['customer'], ...range, 'hour', '|'); // stats_customer_hourly
    expect(seen).toHaveLength(5);
    const reads = ['COVERING INDEX stats_campaign_daily_day_counts', 'COVERING INDEX stats_daily_day_counts', 'COVERING INDEX stats_hourly_hour_counts', 'PRIMARY KEY', 'PRIMARY KEY'];
    for (const [i, index] of reads.entries()) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${seen[i]!}`).all(...range) as Array<{ detail: string }>;
      expect(plan[0]!.detail).toContain(`USING ${index}`);
      // The customer rollups are read in (time, customer) order: the sums need no sort.
      if (i >= 3) expect(plan.map((p) => p.detail).join('; ')).not.toContain('TEMP B-TREE');
    }
  });
});

describe('migration 021', () => {
  it('marks every priced campaign, and the first settle gives the existing rows their revenue', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-m021-'));
    const db = openDatabase(dir, MIGRATIONS.filter((m) => m.version <= 20));
    try {
      const seed = new Seeder(db, clock.now());
      const [a, b] = [seed.campaign(), seed.campaign()];
      const insertPrice = db.prepare("INSERT INTO campaign_prices (campaign_id, effective_from, model, amount_micros, created_by, created_at) VALUES (?, ?, ?, ?, 'test', '2026-01-01T00:00:00Z')");
      insertPrice.run(a, '2026-03-01T00:00:00Z', 'cpm', 2_000_000);
      insertPrice.run(a, '2026-03-28T22:10:00Z', 'cpc', 40_000); // from 23:00 UTC, 00:00 in Berlin
      const hourly = db.prepare(
        "INSERT INTO stats_hourly (hour, campaign_id, creative_id, zone_id, site_id, country, served, impressions, clicks, viewable, measurable) VALUES (?, ?, 'crv_x', 'zon_x', 'sit_x', 'DE', ?, ?, ?, ?, ?)",
      );
      for (let h = H('2026-03-28T12:00:00Z'); h < H('2026-03-29T12:00:00Z'); h += HOUR) for (const c of [a, b]) hourly.run(h, c, 10, 9, 2, 5, 8);
      migrate(db, MIGRATIONS);
      expect(db.prepare('SELECT campaign_id FROM stats_revenue_dirty').pluck().all()).toEqual([a]);
      const repo = new StatsRepo(db, new DayClock(BERLIN));
      expect(repo.ensureDaily()).toBe(true);
      repo.settleRevenue();
      const days = db.prepare('SELECT campaign_id, day, revenue FROM stats_campaign_daily ORDER BY campaign_id = ?, day').raw().all(a);
      // 28 March in Berlin: 12:00–23:00 UTC at cpm (11 hours × 9 × 2,000,000); 29 March: 13 hours at cpc (2 × 40,000 × 1000).
      expect(days).toEqual([[b, H('2026-03-27T23:00:00Z'), 0], [b, H('2026-03-28T23:00:00Z'), 0], [a, H('2026-03-27T23:00:00Z'), 11 * 9 * 2_000_000], [a, H('2026-03-28T23:00:00Z'), 13 * 2 * 40_000_000]]);
      expect(db.prepare('SELECT COUNT(*) FROM stats_revenue_dirty').pluck().get()).toBe(0);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
