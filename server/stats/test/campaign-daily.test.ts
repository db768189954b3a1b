import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayStartMs } from '../../../common/local-time';
import { effectiveHourMs, priceAt } from '../../../common/schemas/pricing';
import { REPORT_KEY_SEPARATOR, type ReportDimension } from '../../../common/schemas/stats';
import { DayClock } from '../../../common/local-clock';
import { Seeder, testClock, testId } from '../../delivery/test/seed';
import { signInAs, type AdminClient } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { migrate, openDatabase } from '../../store/database';
import { MIGRATIONS } from '../../store/migrations';
import { dailyRollupFor } from '../report-repo';
import { CustomerErasureRepo } from '../../privacy/customer-erasure-repo';
import { StatsRepo } from '../stats-repo';
import { checkCustomerRollups } from './customer-rollups';

// Reports that name no creative, site, zone or country read the narrow rollup stats_campaign_daily.
// On random data (several customers, campaigns, creatives, zones, countries; days across the
// spring-forward change in Europe/Berlin; prices changing inside a day) every such report must
// equal (a) the same report forced onto stats_daily (a creative filter naming every creative
// changes nothing but the table) and (b) an independent sum of the hourly rows per local day,
// revenue priced hour by hour here — after the first flushes, after rebuilds for another zone and
// back, and after further flushes. Tampering with the narrow table must show.
const BERLIN = 'Europe/Berlin';
const clock = testClock('2026-04-05T10:00:00Z');
const H = (iso: string): number => Date.parse(iso) / 1000;
const HOUR = 3_600;
const RANGE = 'from=2026-03-20&to=2026-04-06';

let app: TestApp;
let analyst: AdminClient;
const customers: string[] = [];
const campaigns: Array<{ id: string; customerId: string }> = [];
const creatives: string[] = [];
const zones = ['zon_a', 'zon_b', 'zon_c'];
const sites = { zon_a: 'sit_1', zon_b: 'sit_1', zon_c: 'sit_2' } as Record<string, string>;
const countries = ['DE', 'AT', 'FR', ''];
type Model = 'cpm' | 'vcpm' | 'cpc';
/** Prices per campaign as stored, in the order they take effect. */
const prices = new Map<string, Array<{ effectiveHourMs: number; model: Model; micros: number }>>();

let seedValue = 20_260_329;
const random = (n: number): number => (seedValue = (seedValue * 1_103_515_245 + 12_345) % 2_147_483_648) % n;

/** Random counts for every campaign in some hours of [from, to), written as a flush writes them. */
function flushRandom(from: string, to: string): void {
  const repo = app.services.stats.repo;
  repo.transaction(() => {
    for (let h = H(from); h < H(to); h += HOUR) {
      for (const c of campaigns) {
        if (random(3) === 0) continue;
        for (let k = 1 + random(3); k > 0; k--) {
          const zoneId = zones[random(zones.length)]!;
          const served = random(40);
          repo.add({
            hour: h, campaignId: c.id, creativeId: creatives[random(creatives.length)]!, zoneId, siteId: sites[zoneId]!, country: countries[random(countries.length)]!,
            served, impressions: random(served + 1), clicks: random(4), viewable: random(served + 1), measurable: random(served + 1),
          });
        }
      }
    }
  });
}

interface Counts { served: number; impressions: number; clicks: number; viewable: number; measurable: number; micros: number }
const zero = (): Counts => ({ served: 0, impressions: 0, clicks: 0, viewable: 0, measurable: 0, micros: 0 });
/** Buckets with any count or revenue, as "key\tday ISO" → counts. */
type Table = Map<string, Counts>;

/** The independent answer: stats_hourly summed per local day and key, revenue priced hour by hour at the price of that hour. */
function expected(by: readonly ReportDimension[], filter: { customer?: string[]; campaign?: string[] }, timeZone: string): Table {
  const customerOf = new Map(campaigns.map((c) => [c.id, c.customerId]));
  const rows = app.ctx.db.prepare('SELECT hour, campaign_id AS c, served, impressions, clicks, viewable, measurable FROM stats_hourly').all() as Array<{ hour: number; c: string } & Omit<Counts, 'micros'>>;
  const out: Table = new Map();
  for (const r of rows) {
    // A campaign that is no more (its customer erased) counts without a customer: under no customer, in no customer's series.
    const customer = customerOf.get(r.c);
    if ((filter.customer || by.includes('customer')) && (customer === undefined || (filter.customer && !filter.customer.includes(customer)))) continue;
    if (filter.campaign && !filter.campaign.includes(r.c)) continue;
    const key = by.map((d) => (d === 'customer' ? customer! : r.c)).join(REPORT_KEY_SEPARATOR);
    const k = `${key}\t${new Date(dayStartMs(r.hour * 1000, timeZone)).toISOString()}`;
    const e = out.get(k) ?? zero();
    e.served += r.served;
    e.impressions += r.impressions;
    e.clicks += r.clicks;
    e.viewable += r.viewable;
    e.measurable += r.measurable;
    const p = priceAt(prices.get(r.c) ?? [], r.hour * 1000);
    if (p) e.micros += p.model === 'cpm' ? (r.impressions * p.micros) / 1000 : p.model === 'vcpm' ? (r.viewable * p.micros) / 1000 : r.clicks * p.micros;
    out.set(k, e);
  }
  return out;
}

interface Point { t: string; served: number; impressions: number; clicks: number; viewable: number; measurable: number; revenue: number }
/** A report over HTTP as a table of its non-empty points (keys '' without a breakdown). */
async function answered(q: string, by: readonly ReportDimension[]): Promise<Table> {
  const res = await analyst.get(`/api/stats?${RANGE}&granularity=day${by.length ? `&by=${by.join(',')}` : ''}${q}`);
  expect(res.status, `${q}: ${JSON.stringify(res.body)}`).toBe(200);
  const out: Table = new Map();
  for (const s of res.body.series as Array<{ key: string; points: Point[] }>) {
    for (const p of s.points) {
      const c = { served: p.served, impressions: p.impressions, clicks: p.clicks, viewable: p.viewable, measurable: p.measurable, micros: Math.round(p.revenue * 1e6) };
      if (Object.values(c).some((v) => v !== 0)) out.set(`${by.length ? s.key : ''}\t${p.t}`, c);
    }
  }
  return out;
}

const BYS: ReadonlyArray<readonly ReportDimension[]> = [[], ['customer'], ['campaign'], ['customer', 'campaign']];
/** Campaign-level filters: none, a customer, two campaigns of different customers, a customer and one of its campaigns. */
const filters = (): Array<{ q: string; f: { customer?: string[]; campaign?: string[] } }> => [
  { q: '', f: {} },
  { q: `&customerId=${customers[0]}`, f: { customer: [customers[0]!] } },
  { q: `&campaignId=${campaigns[0]!.id},${campaigns[5]!.id}`, f: { campaign: [campaigns[0]!.id, campaigns[5]!.id] } },
  { q: `&customerId=${customers[1]}&campaignId=${campaigns[1]!.id}`, f: { customer: [customers[1]!], campaign: [campaigns[1]!.id] } },
];

/** Every report shape from the narrow table equals the full-table report and the independent sum. */
async function checkReports(): Promise<void> {
  const allCreatives = `&creativeId=${creatives.join(',')}`;
  let nonEmpty = 0;
  for (const by of BYS) {
    for (const { q, f } of filters()) {
      expect(dailyRollupFor(f, by)).toBe('stats_campaign_daily');
      const narrow = await answered(q, by);
      const want = expected(by, f, BERLIN);
      for (const e of want.values()) e.micros = Math.round(e.micros);
      expect(narrow, `${q} by ${by.join(',')}`).toEqual(want);
      expect(await answered(q + allCreatives, by), `${q} by ${by.join(',')} from stats_daily`).toEqual(narrow);
      if ([...narrow.values()].some((c) => c.micros > 0)) nonEmpty++;
    }
  }
  expect(nonEmpty).toBe(BYS.length * filters().length);
}

/** The narrow table's rows equal the hourly rows summed per campaign and local day of `timeZone`, with the campaign's customer ('' when gone). */
function checkTable(timeZone: string): void {
  const customerOf = new Map(campaigns.map((c) => [c.id, c.customerId]));
  const stored = app.ctx.db.prepare('SELECT campaign_id AS c, day, customer_id AS cu, served, impressions, clicks, viewable, measurable FROM stats_campaign_daily ORDER BY c, day').all();
  const sums = app.ctx.db
    .prepare('SELECT campaign_id AS c, hour, served, impressions, clicks, viewable, measurable FROM stats_hourly')
    .all() as Array<{ c: string; hour: number; served: number; impressions: number; clicks: number; viewable: number; measurable: number }>;
  const want = new Map<string, { c: string; day: number; cu: string; served: number; impressions: number; clicks: number; viewable: number; measurable: number }>();
  for (const r of sums) {
    const day = dayStartMs(r.hour * 1000, timeZone) / 1000;
    const k = `${r.c}\t${String(day).padStart(12, '0')}`;
    const e = want.get(k) ?? { c: r.c, day, cu: customerOf.get(r.c) ?? '', served: 0, impressions: 0, clicks: 0, viewable: 0, measurable: 0 };
    e.served += r.served;
    e.impressions += r.impressions;
    e.clicks += r.clicks;
    e.viewable += r.viewable;
    e.measurable += r.measurable;
    want.set(k, e);
  }
  expect(stored).toEqual([...want.keys()].sort().map((k) => want.get(k)));
  checkCustomerRollups(app.ctx.db);
}

beforeAll(async () => {
  app = await startTestApp({ timeZone: BERLIN }, { now: clock.now });
  const seed = new Seeder(app.ctx.db, clock.now());
  for (let i = 0; i < 3; i++) customers.push(seed.customer());
  for (let i = 0; i < 6; i++) {
    const customerId = customers[i % 3]!;
    campaigns.push({ id: seed.campaign({ customerId, startsAt: new Date('2026-03-01T00:00:00Z'), endsAt: new Date('2026-05-01T00:00:00Z') }), customerId });
  }
  for (let i = 0; i < 5; i++) creatives.push(testId('creative'));
  const insertPrice = app.ctx.db.prepare("INSERT INTO campaign_prices (campaign_id, effective_from, model, amount_micros, created_by, created_at) VALUES (?, ?, ?, ?, 'test', '2026-01-01T00:00:00Z')");
  const price = (campaignId: string, effectiveFrom: string, model: Model, micros: number): void => {
    insertPrice.run(campaignId, effectiveFrom, model, micros);
    const list = prices.get(campaignId) ?? [];
    list.push({ effectiveHourMs: effectiveHourMs(effectiveFrom), model, micros });
    prices.set(campaignId, list);
  };
  // Amounts in whole milli-micro-euros per count, so every expected sum is an exact integer.
  price(campaigns[0]!.id, '2026-01-01T00:00:00Z', 'cpm', 2_500_000);
  price(campaigns[0]!.id, '2026-03-29T10:00:00Z', 'cpm', 4_000_000); // inside the 23-hour day: priced from its hours
  price(campaigns[1]!.id, '2026-01-01T00:00:00Z', 'vcpm', 3_100_000);
  price(campaigns[2]!.id, '2026-01-01T00:00:00Z', 'cpc', 150_000);
  price(campaigns[2]!.id, '2026-03-25T13:20:00Z', 'cpm', 1_700_000); // rounds up to 14:00
  price(campaigns[3]!.id, '2026-01-01T00:00:00Z', 'cpm', 900_000);
  price(campaigns[5]!.id, '2026-01-01T00:00:00Z', 'vcpm', 1_200_000);
  // campaigns[4] has no price.
  flushRandom('2026-03-22T00:00:00Z', '2026-04-01T00:00:00Z');
  analyst = await signInAs(app, 'analyst');
});
afterAll(() => app.dispose());

describe('stats_campaign_daily, the narrow daily rollup', () => {
  it('answers campaign-level daily reports exactly as stats_daily and the hourly rows do', async () => {
    checkTable(BERLIN);
    await checkReports();
  });

  it('is rebuilt with stats_daily when the zone changes, and back', async () => {
    expect(new StatsRepo(app.ctx.db, new DayClock('America/New_York')).ensureDaily()).toBe(true);
    checkTable('America/New_York');
    expect(new StatsRepo(app.ctx.db, new DayClock(BERLIN)).ensureDaily()).toBe(true);
    checkTable(BERLIN);
    await checkReports();
  });

  it('stays equal after further flushes, into days that have rows and new ones', async () => {
    flushRandom('2026-03-30T20:00:00Z', '2026-04-05T10:00:00Z');
    checkTable(BERLIN);
    await checkReports();
  });

  it('after a customer is erased, lists its campaigns\' counts under no customer, as the full-table reports do', async () => {
    const seed = new Seeder(app.ctx.db, clock.now());
    const gone = seed.customer();
    const campaign = { id: seed.campaign({ customerId: gone }), customerId: gone };
    campaigns.push(campaign);
    flushRandom('2026-03-27T00:00:00Z', '2026-03-29T00:00:00Z');
    checkTable(BERLIN);
    new CustomerErasureRepo(app.ctx.db).erase(gone);
    campaigns.pop();
    checkTable(BERLIN);
    await checkReports();
    // Its counts still add to the totals, under no customer.
    const [totals, byCustomer] = [await answered('', []), await answered('', ['customer'])];
    const served = (t: Table) => [...t.values()].reduce((n, c) => n + c.served, 0);
    const own = app.ctx.db.prepare('SELECT SUM(served) FROM stats_hourly WHERE campaign_id = ?').pluck().get(campaign.id) as number;
    expect(own).toBeGreaterThan(0);
    expect(served(totals)).toBe(served(byCustomer) + own);
  });

  it('is what those reports read: a changed row shows in them, not in the full-table report', async () => {
    const c = campaigns[0]!.id;
    const day = H('2026-03-26T23:00:00Z'); // 27 March in Berlin
    const change = app.ctx.db.prepare('UPDATE stats_campaign_daily SET served = served + ? WHERE campaign_id = ? AND day = ?');
    expect(change.run(1, c, day).changes).toBe(1);
    try {
      const q = `&campaignId=${c}`;
      const narrow = await answered(q, []);
      const full = await answered(`${q}&creativeId=${creatives.join(',')}`, []);
      const k = `\t${new Date(day * 1000).toISOString()}`;
      expect(narrow.get(k)!.served).toBe(full.get(k)!.served + 1);
    } finally {
      change.run(-1, c, day);
    }
  });
});

describe('migration 019', () => {
  it('fills stats_campaign_daily from stats_daily', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-m019-'));
    const db = openDatabase(dir, MIGRATIONS.filter((m) => m.version <= 18));
    try {
      const seed = new Seeder(db, clock.now());
      const customerId = seed.customer();
      // Two campaigns that exist (their customer is copied) and one that does not ('').
      const ids = [seed.campaign({ customerId }), seed.campaign({ customerId }), 'cmp_gone'];
      const insert = db.prepare(
        'INSERT OR IGNORE INTO stats_daily (day, campaign_id, creative_id, zone_id, site_id, country, served, impressions, clicks, viewable, measurable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const want = new Map<string, number[]>();
      for (let i = 0; i < 300; i++) {
        const day = H('2026-03-20T23:00:00Z') + random(5) * 86_400;
        const c = ids[random(3)]!;
        const counts = [random(50), random(50), random(5), random(50), random(50)];
        const r = insert.run(day, c, `crv_${random(3)}`, `zon_${random(3)}`, 'sit_x', countries[random(countries.length)]!, ...counts);
        if (r.changes === 0) continue; // a key drawn twice
        const k = `${c}\t${day}`;
        want.set(k, (want.get(k) ?? [0, 0, 0, 0, 0]).map((v, j) => v + counts[j]!));
      }
      migrate(db, MIGRATIONS);
      const stored = db.prepare('SELECT campaign_id, day, customer_id, served, impressions, clicks, viewable, measurable FROM stats_campaign_daily ORDER BY campaign_id, day').raw().all();
      expect(stored).toEqual(
        [...want.keys()].sort().map((k) => {
          const [c, day] = k.split('\t') as [string, string];
          return [c, Number(day), c === 'cmp_gone' ? '' : customerId, ...want.get(k)!];
        }),
      );
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('migration 022', () => {
  it('fills the customer rollups from stats_hourly and stats_campaign_daily', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-m022-'));
    const db = openDatabase(dir, MIGRATIONS.filter((m) => m.version <= 21));
    try {
      const seed = new Seeder(db, clock.now());
      const [a, b] = [seed.customer(), seed.customer()];
      // Campaigns of two customers, and one that is no more ('').
      const ids = [seed.campaign({ customerId: a }), seed.campaign({ customerId: a }), seed.campaign({ customerId: b }), 'cmp_gone'];
      const hourly = db.prepare(
        'INSERT OR IGNORE INTO stats_hourly (hour, campaign_id, creative_id, zone_id, site_id, country, served, impressions, clicks, viewable, measurable, revenue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      const daily = db.prepare(
        `INSERT INTO stats_campaign_daily (campaign_id, day, customer_id, served, impressions, clicks, viewable, measurable, revenue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (campaign_id, day) DO UPDATE SET served = served + excluded.served, revenue = revenue + excluded.revenue`,
      );
      for (let i = 0; i < 300; i++) {
        const c = ids[i % ids.length]!;
        const hour = H('2026-03-20T00:00:00Z') + random(100) * HOUR;
        hourly.run(hour, c, `crv_${random(3)}`, `zon_${random(3)}`, 'sit_x', countries[random(countries.length)]!, random(50), random(50), random(5), random(50), random(50), random(9_000));
        daily.run(c, H('2026-03-20T23:00:00Z') + random(4) * 86_400, c === 'cmp_gone' ? '' : c === ids[2] ? b : a, random(50), random(50), random(5), random(50), random(50), random(9_000));
      }
      migrate(db, MIGRATIONS);
      expect(db.prepare("SELECT COUNT(DISTINCT customer_id) FROM stats_customer_hourly WHERE customer_id <> ''").pluck().get()).toBe(2);
      expect(db.prepare("SELECT COUNT(*) FROM stats_customer_daily WHERE customer_id = ''").pluck().get()).toBeGreaterThan(0);
      checkCustomerRollups(db);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
