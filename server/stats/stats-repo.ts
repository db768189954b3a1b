import type { Statement } from 'better-sqlite3';
import type { StatsDimension } from '../../common/schemas/stats';
import type { DayClock } from '../../common/local-clock';
import type { Db } from '../store/database';
import { priceAt } from '../../common/schemas/pricing';
import { milliRates, pricePeriods, type RevenueSegment } from './revenue';
import { revenueSums } from './revenue-sql';
import { RollupUpkeep } from './rollup-upkeep';

/** One row of additions to the hourly rollup. */
export interface RollupDelta {
  hour: number;
  campaignId: string;
  creativeId: string;
  zoneId: string;
  siteId: string;
  /** ISO 3166-1 alpha-2 code, '' when unknown. */
  country: string;
  served: number;
  impressions: number;
  clicks: number;
  viewable: number;
  measurable: number;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Orders deltas as the rollups' primary keys are (campaign, hour, creative, zone, site, country;
 * the daily key's day follows the hour). A flush of a large catalogue adds thousands of rows at random
 * keys; written in this order, each sliced transaction touches a narrow run of B-tree pages instead of
 * pages all over the tables, and its commit writes a quarter of the pages to the log. Only where rows
 * are written changes, not what: any order sums to the same rows.
 */
export function inKeyOrder(deltas: RollupDelta[]): RollupDelta[] {
  return deltas.sort(
    (a, b) =>
      cmp(a.campaignId, b.campaignId) || a.hour - b.hour || cmp(a.creativeId, b.creativeId) || cmp(a.zoneId, b.zoneId) || cmp(a.siteId, b.siteId) || cmp(a.country, b.country),
  );
}

/** Counts of one bucket (and key, when split) as read back. */
export interface BucketRow {
  bucket: number;
  key: string;
  served: number;
  impressions: number;
  clicks: number;
  viewable: number;
  measurable: number;
}

/** Totals that caps and pacing start from after a restart. */
export interface CampaignServedRow {
  campaignId: string;
  servedTotal: number;
  servedToday: number;
  viewableTotal: number;
  clicksTotal: number;
}

export interface CampaignSumRow {
  campaignId: string;
  served: number;
  impressions: number;
  clicks: number;
  viewable: number;
  measurable: number;
}

/** What a series covers: one campaign, or every campaign of one customer (the portal's view). */
export interface StatsScope {
  kind: 'campaign' | 'customer';
  id: string;
}

/** One price of a campaign with its flight, for revenue. */
export interface PriceHistoryRow {
  campaignId: string;
  effectiveFrom: string;
  model: string;
  amountMicros: number;
  startsAt: string;
  endsAt: string;
}

/** The priced counts of one campaign in one hour (and key, when split). */
export interface RevenueCountRow {
  campaignId: string;
  hour: number;
  key: string;
  impressions: number;
  viewable: number;
  clicks: number;
}

/** Counts of one customer rollup row summed over a flush batch. */
/** A batch's counts summed per (time, owner): a customer's hour or day, or a campaign's day. */
interface Sums {
  time: number;
  /** The customer (customer rollups) or the campaign (stats_campaign_daily). */
  owner: string;
  served: number;
  impressions: number;
  clicks: number;
  viewable: number;
  measurable: number;
  revenue: number;
}

/** Adds a delta's counts and revenue to its (time, owner) sums. */
function addSums(into: Map<string, Sums>, time: number, owner: string, d: RollupDelta, revenue: number): void {
  const k = `${time}\t${owner}`;
  const c = into.get(k);
  if (!c) {
    into.set(k, { time, owner, served: d.served, impressions: d.impressions, clicks: d.clicks, viewable: d.viewable, measurable: d.measurable, revenue });
    return;
  }
  c.served += d.served;
  c.impressions += d.impressions;
  c.clicks += d.clicks;
  c.viewable += d.viewable;
  c.measurable += d.measurable;
  c.revenue += revenue;
}

/** Which campaigns revenue is read for: a stats scope, or all of them (the summary). */
export type RevenueScope = StatsScope | { kind: 'all' };

const scopeWhere = (scope: RevenueScope, column: string): { sql: string; params: string[] } =>
  scope.kind === 'campaign'
    ? { sql: `${column} = ?`, params: [scope.id] }
    : scope.kind === 'customer'
      ? { sql: `${column} IN (SELECT id FROM campaigns WHERE customer_id = ?)`, params: [scope.id] }
      : { sql: '1', params: [] };

const DIMENSION_COLUMN: Readonly<Record<StatsDimension, string>> = { creative: 'creative_id', zone: 'zone_id', site: 'site_id', country: 'country' };

/** All SQL of the statistics store: hourly rollups, written by adding, read by bucket. */
export class StatsRepo {
  private readonly upsert;
  private readonly upsertDaily;
  private readonly upsertCampaignDaily;
  private readonly upsertCustomerHourly;
  private readonly upsertCustomerDaily;
  private readonly batchCustomersStmt;
  private readonly servedTotalsStmt;
  private readonly summaryStmt;
  private readonly campaignStmt;
  private readonly customerStmt;
  private readonly customerSumStmt;
  private readonly seriesStmts = new Map<string, Statement<[string, number, number]>>();
  private readonly stmts = new Map<string, Statement>();
  private readonly batchPricesStmt;
  private readonly upkeep: RollupUpkeep;

  constructor(
    private readonly db: Db,
    /** Cuts hours into the operator-local days of `stats_daily`. */
    readonly days: DayClock,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO stats_hourly (hour, campaign_id, creative_id, zone_id, site_id, country, served, impressions, clicks, viewable, measurable, revenue)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (campaign_id, hour, creative_id, zone_id, site_id, country) DO UPDATE SET
         served = served + excluded.served, impressions = impressions + excluded.impressions, clicks = clicks + excluded.clicks,
         viewable = viewable + excluded.viewable, measurable = measurable + excluded.measurable, revenue = revenue + excluded.revenue`,
    );
    this.upsertDaily = db.prepare(
      `INSERT INTO stats_daily (day, campaign_id, creative_id, zone_id, site_id, country, served, impressions, clicks, viewable, measurable, revenue)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (campaign_id, day, creative_id, zone_id, site_id, country) DO UPDATE SET
         served = served + excluded.served, impressions = impressions + excluded.impressions, clicks = clicks + excluded.clicks,
         viewable = viewable + excluded.viewable, measurable = measurable + excluded.measurable, revenue = revenue + excluded.revenue`,
    );
    this.upsertCampaignDaily = db.prepare(
      `INSERT INTO stats_campaign_daily (campaign_id, day, customer_id, served, impressions, clicks, viewable, measurable, revenue)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (campaign_id, day) DO UPDATE SET
         served = served + excluded.served, impressions = impressions + excluded.impressions, clicks = clicks + excluded.clicks,
         viewable = viewable + excluded.viewable, measurable = measurable + excluded.measurable, revenue = revenue + excluded.revenue`,
    );
    // The customer rollups (migration 022): the flush adds to each (time, customer) row once per batch.
    const upsertCustomer = (table: string, time: string) =>
      db.prepare(
        `INSERT INTO ${table} (${time}, customer_id, served, impressions, clicks, viewable, measurable, revenue) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (${time}, customer_id) DO UPDATE SET
           served = served + excluded.served, impressions = impressions + excluded.impressions, clicks = clicks + excluded.clicks,
           viewable = viewable + excluded.viewable, measurable = measurable + excluded.measurable, revenue = revenue + excluded.revenue`,
      );
    this.upsertCustomerHourly = upsertCustomer('stats_customer_hourly', 'hour');
    this.upsertCustomerDaily = upsertCustomer('stats_customer_daily', 'day');
    this.batchCustomersStmt = db.prepare('SELECT id, customer_id AS customerId FROM campaigns WHERE id IN (SELECT value FROM json_each(?))');
    this.servedTotalsStmt = db.prepare(
      `SELECT campaign_id AS campaignId, SUM(served) AS servedTotal, SUM(CASE WHEN hour >= ? THEN served ELSE 0 END) AS servedToday,
              SUM(viewable) AS viewableTotal, SUM(clicks) AS clicksTotal
       FROM stats_hourly GROUP BY campaign_id`,
    );
    this.summaryStmt = db.prepare(
      `SELECT campaign_id AS campaignId, SUM(served) AS served, SUM(impressions) AS impressions, SUM(clicks) AS clicks,
              SUM(viewable) AS viewable, SUM(measurable) AS measurable
       FROM stats_hourly WHERE hour >= ? AND hour < ? GROUP BY campaign_id ORDER BY campaign_id`,
    );
    this.batchPricesStmt = db.prepare(
      `SELECT campaign_id AS campaignId, effective_from AS effectiveFrom, model, amount_micros AS amountMicros
       FROM campaign_prices WHERE campaign_id IN (SELECT value FROM json_each(?)) ORDER BY campaign_id, effective_from, id`,
    );
    this.upkeep = new RollupUpkeep(db, days, this.batchPricesStmt);
    this.campaignStmt = db.prepare('SELECT 1 FROM campaigns WHERE id = ?').pluck();
    this.customerStmt = db.prepare('SELECT 1 FROM customers WHERE id = ?').pluck();
    this.customerSumStmt = db.prepare(
      `SELECT COALESCE(SUM(s.served), 0) AS served, COALESCE(SUM(s.impressions), 0) AS impressions, COALESCE(SUM(s.clicks), 0) AS clicks,
              COALESCE(SUM(s.viewable), 0) AS viewable, COALESCE(SUM(s.measurable), 0) AS measurable
       FROM stats_hourly s JOIN campaigns c ON c.id = s.campaign_id WHERE c.customer_id = ? AND s.hour >= ? AND s.hour < ?`,
    );
  }

  /** Runs `fn` in one transaction (the flush: every delta plus whatever participants persist). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** Adds one delta (see addAll); call inside `transaction`. */
  add(d: RollupDelta): void {
    this.addAll([d]);
  }

  /**
   * Adds deltas to their hourly, daily and campaign-daily rollup rows, with their counted revenue
   * at the price in force in their hour (0 without a price): the price histories of the batch's
   * campaigns are read once, in one query. Call inside `transaction`: a price added meanwhile by
   * another process marks the campaign for recomputation (stats_revenue_dirty) after this commits.
   */
  addAll(deltas: readonly RollupDelta[]): void {
    if (deltas.length === 0) return;
    const ids = [...new Set(deltas.map((d) => d.campaignId))];
    const prices = pricePeriods(this.batchPricesStmt.all(JSON.stringify(ids)) as PriceHistoryRow[]);
    // The customer rows are filed under (as stats_campaign_daily's copy: '' when there is no such campaign).
    const customerOf = new Map((this.batchCustomersStmt.all(JSON.stringify(ids)) as Array<{ id: string; customerId: string }>).map((c) => [c.id, c.customerId]));
    const hourly = new Map<string, Sums>();
    const daily = new Map<string, Sums>();
    // One stats_campaign_daily row per campaign and day of the batch (the rows come in key order, campaign first).
    const campaignDaily = new Map<string, Sums>();
    for (const d of deltas) {
      const history = prices.get(d.campaignId);
      const p = history && priceAt(history, d.hour * 1000);
      const r = p ? milliRates(p) : null;
      const revenue = r ? d.impressions * r.perImpression + d.viewable * r.perViewable + d.clicks * r.perClick : 0;
      this.upsert.run(d.hour, d.campaignId, d.creativeId, d.zoneId, d.siteId, d.country, d.served, d.impressions, d.clicks, d.viewable, d.measurable, revenue);
      const day = this.days.dayOf(d.hour * 1000) / 1000;
      this.upsertDaily.run(day, d.campaignId, d.creativeId, d.zoneId, d.siteId, d.country, d.served, d.impressions, d.clicks, d.viewable, d.measurable, revenue);
      addSums(campaignDaily, day, d.campaignId, d, revenue);
      const customer = customerOf.get(d.campaignId) ?? '';
      addSums(hourly, d.hour, customer, d, revenue);
      addSums(daily, day, customer, d, revenue);
    }
    for (const c of campaignDaily.values()) {
      this.upsertCampaignDaily.run(c.owner, c.time, customerOf.get(c.owner) ?? '', c.served, c.impressions, c.clicks, c.viewable, c.measurable, c.revenue);
    }
    for (const c of hourly.values()) this.upsertCustomerHourly.run(c.time, c.owner, c.served, c.impressions, c.clicks, c.viewable, c.measurable, c.revenue);
    for (const c of daily.values()) this.upsertCustomerDaily.run(c.time, c.owner, c.served, c.impressions, c.clicks, c.viewable, c.measurable, c.revenue);
  }

  /** See RollupUpkeep.settleRevenue: the stored revenue of campaigns whose prices changed, recomputed. */
  settleRevenue(): number {
    return this.upkeep.settleRevenue();
  }

  /** See RollupUpkeep.ensureDaily: the daily rollups rebuilt when cut in another time zone. */
  ensureDaily(): boolean {
    return this.upkeep.ensureDaily();
  }

  /** Served counts per campaign, in total and since `dayStart` (unix seconds). */
  servedTotals(dayStart: number): CampaignServedRow[] {
    return this.servedTotalsStmt.all(dayStart) as CampaignServedRow[];
  }

  /**
   * Sums per bucket of `bucketSeconds` (and per dimension when `by` is set) for [from, to) in unix
   * seconds, of one campaign or of all campaigns of one customer.
   */
  series(scope: StatsScope, from: number, to: number, bucketSeconds: number, by?: StatsDimension): BucketRow[] {
    const keyExpr = by ? DIMENSION_COLUMN[by] : "'scope'";
    const sqlKey = `${scope.kind}:${keyExpr}:${bucketSeconds}`;
    let stmt = this.seriesStmts.get(sqlKey);
    if (!stmt) {
      const where = scope.kind === 'campaign' ? 'campaign_id = ?' : 'campaign_id IN (SELECT id FROM campaigns WHERE customer_id = ?)';
      stmt = this.db.prepare<[string, number, number]>(
        `SELECT hour - (hour % ${bucketSeconds}) AS bucket, ${keyExpr} AS key,
                SUM(served) AS served, SUM(impressions) AS impressions, SUM(clicks) AS clicks,
                SUM(viewable) AS viewable, SUM(measurable) AS measurable
         FROM stats_hourly WHERE ${where} AND hour >= ? AND hour < ?
         GROUP BY key, bucket ORDER BY key, bucket`,
      );
      this.seriesStmts.set(sqlKey, stmt);
    }
    return (stmt.all(scope.id, from, to) as BucketRow[]).map((r) => (by ? r : { ...r, key: scope.id }));
  }

  /** The price histories of every campaign in scope, in one query (ordered as they take effect). */
  priceHistories(scope: RevenueScope): PriceHistoryRow[] {
    const w = scopeWhere(scope, 'p.campaign_id');
    return this.cached(
      `prices:${scope.kind}`,
      `SELECT p.campaign_id AS campaignId, p.effective_from AS effectiveFrom, p.model AS model, p.amount_micros AS amountMicros,
              c.starts_at AS startsAt, c.ends_at AS endsAt
       FROM campaign_prices p JOIN campaigns c ON c.id = p.campaign_id WHERE ${w.sql}
       ORDER BY p.campaign_id, p.effective_from, p.id`,
    ).all(...w.params) as PriceHistoryRow[];
  }

  /**
   * Hourly counts that revenue is computed from, of priced campaigns in scope only, for [from, to)
   * in unix seconds; per campaign and hour (and dimension when `by` is set).
   */
  revenueCounts(scope: RevenueScope, from: number, to: number, by?: StatsDimension): RevenueCountRow[] {
    const w = scopeWhere(scope, 'campaign_id');
    const keyExpr = by ? DIMENSION_COLUMN[by] : "''";
    return this.cached(
      `revenue:${scope.kind}:${keyExpr}`,
      `SELECT campaign_id AS campaignId, hour, ${keyExpr} AS key, SUM(impressions) AS impressions, SUM(viewable) AS viewable, SUM(clicks) AS clicks
       FROM stats_hourly WHERE ${w.sql} AND hour >= ? AND hour < ? AND campaign_id IN (SELECT campaign_id FROM campaign_prices)
       GROUP BY campaign_id, key, hour`,
    ).all(...w.params, from, to) as RevenueCountRow[];
  }

  /** Counted revenue per campaign of the given price segments, in micro-euros × 1000 (see revenueSums). */
  revenueByCampaign(segments: readonly RevenueSegment[]): Map<string, number> {
    const out = new Map<string, number>();
    const shape = (table: string) => ({ table, key: 's.campaign_id', join: '', where: '', params: [] });
    for (const r of revenueSums(this.db, segments, { daily: shape('stats_campaign_daily'), hourly: shape('stats_hourly') }, false)) out.set(r.key, (out.get(r.key) ?? 0) + r.milli);
    return out;
  }

  /** Counted revenue per zone and campaign ("zone\ncampaign") on one site, in micro-euros × 1000. */
  revenueBySiteZone(segments: readonly RevenueSegment[], siteId: string): Map<string, number> {
    const out = new Map<string, number>();
    const shape = (table: string) => ({ table, key: 's.zone_id || char(10) || s.campaign_id', join: '', where: ' AND s.site_id = ?', params: [siteId] });
    for (const r of revenueSums(this.db, segments, { daily: shape('stats_daily'), hourly: shape('stats_hourly') }, false)) out.set(r.key, (out.get(r.key) ?? 0) + r.milli);
    return out;
  }

  /** Prepares a statement once, by name. */
  private cached(name: string, sql: string): Statement {
    let stmt = this.stmts.get(name);
    if (!stmt) this.stmts.set(name, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  /** Totals per campaign for [from, to) in unix seconds. */
  summary(from: number, to: number): CampaignSumRow[] {
    return this.summaryStmt.all(from, to) as CampaignSumRow[];
  }

  /** Totals of all of a customer's campaigns for hours in [from, to) (epoch seconds). */
  customerSum(customerId: string, from: number, to: number): Omit<CampaignSumRow, 'campaignId'> {
    return this.customerSumStmt.get(customerId, from, to) as Omit<CampaignSumRow, 'campaignId'>;
  }

  /** Whether a customer with this id exists (any status). */
  customerExists(id: string): boolean {
    return this.customerStmt.get(id) !== undefined;
  }

  /** Whether a campaign with this id exists (any status). */
  campaignExists(id: string): boolean {
    return this.campaignStmt.get(id) !== undefined;
  }
}
