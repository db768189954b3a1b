import type { Statement } from 'better-sqlite3';
import { REPORT_DIMENSIONS, type ReportDimension, type ReportFilters } from '../../common/schemas/stats';
import type { Db } from '../store/database';
import type { RevenueSegment } from './revenue';
import { revenueSums, type RevenueSumRow } from './revenue-sql';
import type { PriceHistoryRow, RevenueCountRow } from './stats-repo';

/**
 * Counts of one bucket and series key of a report, as a row array: bucket, key, served,
 * impressions, clicks, viewable, measurable, and the counted revenue (cpm, vcpm, cpc) in
 * micro-euros × 1000 as stored in the rollups.
 */
export type ReportRow = [bucket: number, key: string, served: number, impressions: number, clicks: number, viewable: number, measurable: number, revenue: number];

/** A price row with the campaign's customer, so a flat fee can be keyed by customer. */
export interface ReportPriceRow extends PriceHistoryRow {
  customerId: string;
}

/** One stored reach sketch with the keys a report may group it by. */
export interface ReportReachRow {
  campaignId: string;
  customerId: string;
  day: number;
  registers: Buffer;
}

/** The rollups a report reads. */
type Rollup = 'stats_hourly' | 'stats_daily' | 'stats_campaign_daily' | CustomerRollup;
/** The customer rollups (migration 022): one row per customer and hour or day. */
type CustomerRollup = 'stats_customer_hourly' | 'stats_customer_daily';
/** The daily rollups: the full one, or the campaign one when nothing finer than the campaign is asked for. */
export type DailyRollup = Exclude<Rollup, 'stats_hourly'>;

/** Where each dimension lives in the full rollups: customer through the campaign (a join), the rest in the rollup row. */
const COLUMN: Readonly<Record<ReportDimension, string>> = {
  customer: 'c.customer_id', campaign: 's.campaign_id', creative: 's.creative_id', site: 's.site_id', zone: 's.zone_id', country: 's.country',
};
/** In `stats_campaign_daily` the customer is in the row ('' where the join would find no campaign). */
const NARROW_COLUMN: Readonly<Partial<Record<ReportDimension, string>>> = { customer: 's.customer_id', campaign: 's.campaign_id' };

/** The dimensions that, with the time, make a narrow rollup's primary key. */
const ROW_KEY: Readonly<Partial<Record<Rollup, readonly ReportDimension[]>>> = {
  stats_campaign_daily: ['campaign'], stats_customer_hourly: ['customer'], stats_customer_daily: ['customer'],
};

/** Dimensions only the full rollups carry; without them a daily report reads `stats_campaign_daily` (campaign × day). */
const FINE_DIMENSIONS: readonly ReportDimension[] = ['creative', 'site', 'zone', 'country'];

/**
 * The daily rollup a report reads — the one place that decides it: the narrow campaign-daily one
 * when no filter and no breakdown names creative, site, zone or country (it keeps campaign and
 * customer), else the full one. Hourly reports always read `stats_hourly`.
 */
export function dailyRollupFor(filters: ReportFilters, by: readonly ReportDimension[]): DailyRollup {
  const fine = FINE_DIMENSIONS.some((d) => by.includes(d) || (filters[d]?.length ?? 0) > 0);
  return fine ? 'stats_daily' : 'stats_campaign_daily';
}

/**
 * The customer rollup a report reads when it splits and filters by nothing finer than the customer
 * (all campaigns, or some customers, in total or by customer), else null: the campaign rollups.
 */
export function customerRollupFor(filters: ReportFilters, by: readonly ReportDimension[], granularity: 'hour' | 'day'): CustomerRollup | null {
  const customerOnly = REPORT_DIMENSIONS.every((d) => d === 'customer' || (filters[d]?.length ?? 0) === 0) && by.every((d) => d === 'customer');
  if (!customerOnly) return null;
  return granularity === 'hour' ? 'stats_customer_hourly' : 'stats_customer_daily';
}

/** A report's SQL text and the parameters to bind, in order. */
interface Shape {
  name: string;
  where: string;
  params: string[];
  join: string;
}

/** A report's SQL over one rollup `s`: its filters and join, the series key and the columns to group by besides the bucket. */
interface RollupShape extends Shape {
  table: Rollup;
  key: string;
  groupBy: string[];
}

/**
 * SQL of reports across campaigns: one grouped query over a rollup per request (plus revenue). Filter
 * values are always bound; only the shape (which dimensions, how many values each, the bucket
 * size from a fixed table) reaches the SQL text, and each shape is prepared once.
 */
export class ReportRepo {
  private readonly stmts = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    /** Brings the rollups' stored revenue up to date (StatsRepo.settleRevenue); run before rows are read. */
    private readonly settle: () => void = () => {},
  ) {}

  /**
   * Sums per bucket and per key (the `by` columns joined with `separator`) for [from, to) in unix
   * seconds: hourly buckets from the hourly rollup, daily ones (operator-local days, `from` and
   * `to` local midnights) from a daily rollup (see dailyRollupFor). With the counted revenue they store.
   */
  rows(filters: ReportFilters, by: readonly ReportDimension[], from: number, to: number, granularity: 'hour' | 'day', separator: string): ReportRow[] {
    this.settle();
    const table = customerRollupFor(filters, by, granularity) ?? (granularity === 'day' ? dailyRollupFor(filters, by) : 'stats_hourly');
    const shape = this.rollupShape(table, filters, by, separator);
    const time = granularity === 'day' ? 'day' : 'hour';
    // A narrow rollup split by its own key (customer, campaign) has one row per series and bucket: nothing to add up.
    const rowKey = ROW_KEY[table];
    const single = rowKey !== undefined && rowKey.every((d) => by.includes(d));
    const counts = ['served', 'impressions', 'clicks', 'viewable', 'measurable', 'revenue'].map((c) => (single ? `s.${c}` : `SUM(s.${c})`)).join(', ');
    // Grouped by the columns (not the key text): over the narrow rollups' (time, customer[, campaign]) order the sums need no sort.
    // Rows come back as arrays (ReportRow): a year by customer returns 11,000 of them, and objects cost three times as much to make.
    return this.cached(
      `rows:${shape.table}:${by.join(',')}:${shape.name}`,
      `SELECT s.${time} AS bucket, ${shape.key} AS key, ${counts}
       FROM ${shape.table} s${shape.join}
       WHERE s.${time} >= ? AND s.${time} < ?${shape.where}${single ? '' : `
       GROUP BY ${[`s.${time}`, ...shape.groupBy].join(', ')}`}`,
      true,
    ).all(from, to, ...shape.params) as ReportRow[];
  }

  /**
   * Counted revenue per bucket and key of the given price segments, under the report's filters
   * (see revenueSums): the computation from counts and prices that the stored counter replaced in
   * reports; tests hold the counter to it.
   */
  revenue(segments: readonly RevenueSegment[], filters: ReportFilters, by: readonly ReportDimension[], separator: string): RevenueSumRow[] {
    return revenueSums(this.db, segments, {
      daily: this.rollupShape(dailyRollupFor(filters, by), filters, by, separator),
      hourly: this.rollupShape('stats_hourly', filters, by, separator),
    });
  }

  /** Price histories of the campaigns the campaign-level filters (customer, campaign) admit, ordered as they take effect. */
  priceHistories(filters: ReportFilters): ReportPriceRow[] {
    const shape = this.shape({ customer: filters.customer, campaign: filters.campaign }, [], 'p.campaign_id');
    return this.cached(
      `prices:${shape.name}`,
      `SELECT p.campaign_id AS campaignId, p.effective_from AS effectiveFrom, p.model AS model, p.amount_micros AS amountMicros,
              c.starts_at AS startsAt, c.ends_at AS endsAt, c.customer_id AS customerId
       FROM campaign_prices p JOIN campaigns c ON c.id = p.campaign_id
       WHERE 1${shape.where}
       ORDER BY p.campaign_id, p.effective_from, p.id`,
    ).all(...shape.params) as ReportPriceRow[];
  }

  /** Hourly counts of priced campaigns that revenue is computed from, per campaign, hour and series key. */
  revenueCounts(filters: ReportFilters, by: readonly ReportDimension[], from: number, to: number, separator: string): RevenueCountRow[] {
    const shape = this.shape(filters, by);
    return this.cached(
      `revenue:${by.join(',')}:${shape.name}`,
      `SELECT s.campaign_id AS campaignId, s.hour AS hour, ${keyExpr(by.map((d) => COLUMN[d]), separator)} AS key,
              SUM(s.impressions) AS impressions, SUM(s.viewable) AS viewable, SUM(s.clicks) AS clicks
       FROM stats_hourly s${shape.join}
       WHERE s.hour >= ? AND s.hour < ? AND s.campaign_id IN (SELECT campaign_id FROM campaign_prices)${shape.where}
       GROUP BY s.campaign_id, key, s.hour`,
    ).all(from, to, ...shape.params) as RevenueCountRow[];
  }

  /** Reach sketches of days in [from, to) of the campaigns the campaign-level filters admit. */
  reach(filters: ReportFilters, from: number, to: number): ReportReachRow[] {
    const shape = this.shape({ customer: filters.customer, campaign: filters.campaign }, [], 'r.campaign_id');
    return this.cached(
      `reach:${shape.name}`,
      `SELECT r.campaign_id AS campaignId, c.customer_id AS customerId, r.day AS day, r.registers AS registers
       FROM stats_reach_daily r JOIN campaigns c ON c.id = r.campaign_id
       WHERE r.day >= ? AND r.day < ?${shape.where}`,
    ).all(from, to, ...shape.params) as ReportReachRow[];
  }

  /** Which of `ids` exist in `table` (customers or campaigns). */
  existing(table: 'customers' | 'campaigns', ids: readonly string[]): Set<string> {
    const stmt = this.cached(`exists:${table}:${ids.length}`, `SELECT id FROM ${table} WHERE id IN (${ids.map(() => '?').join(', ')})`);
    return new Set(stmt.pluck().all(...ids) as string[]);
  }

  /** The SQL pieces of a report over `table`: filters, join, key and grouping. */
  private rollupShape(table: Rollup, filters: ReportFilters, by: readonly ReportDimension[], separator: string): RollupShape {
    if (table === 'stats_customer_hourly' || table === 'stats_customer_daily') {
      const columns = by.map(() => 's.customer_id');
      const { name, where, params } = filterSql(filters, (_, marks) => ` AND s.customer_id IN (${marks})`);
      // As on stats_campaign_daily: counts of campaigns that are no more are in no customer's series.
      const gone = by.includes('customer') ? " AND s.customer_id <> ''" : '';
      return { table, name, where: where + gone, params, join: '', key: keyExpr(columns, separator), groupBy: columns };
    }
    if (table !== 'stats_campaign_daily') {
      const shape = this.shape(filters, by);
      return { ...shape, table, key: keyExpr(by.map((d) => COLUMN[d]), separator), groupBy: by.map((d) => COLUMN[d]) };
    }
    const columns = by.map((d) => NARROW_COLUMN[d]!);
    const { name, where, params } = filterSql(filters, (d, marks) => ` AND ${NARROW_COLUMN[d]!} IN (${marks})`);
    // As the join to campaigns does on the full rollups: a campaign that is no more has no customer to be listed under.
    const gone = by.includes('customer') ? " AND s.customer_id <> ''" : '';
    return { table, name, where: where + gone, params, join: '', key: keyExpr(columns, separator), groupBy: columns };
  }

  /** The WHERE additions, their parameters and the join the filters and breakdown need (full rollups, prices, reach). */
  private shape(filters: ReportFilters, by: readonly ReportDimension[], campaignColumn = 's.campaign_id'): Shape {
    const { name, where, params } = filterSql(filters, (d, marks) =>
      // The customer filter as a campaign set keeps the rollup's primary key (campaign first) usable.
      d === 'customer' ? ` AND ${campaignColumn} IN (SELECT id FROM campaigns WHERE customer_id IN (${marks}))` : ` AND ${d === 'campaign' ? campaignColumn : COLUMN[d]} IN (${marks})`,
    );
    return { name, where, params, join: by.includes('customer') ? ' JOIN campaigns c ON c.id = s.campaign_id' : '' };
  }

  private cached(name: string, sql: string, raw = false): Statement {
    let stmt = this.stmts.get(name);
    if (!stmt) this.stmts.set(name, (stmt = raw ? this.db.prepare(sql).raw(true) : this.db.prepare(sql)));
    return stmt;
  }
}

/**
 * The filters as SQL: per filtered dimension the condition `condition` builds over its bound
 * placeholders, the values to bind in order, and the shape's name (dimensions and value counts).
 */
function filterSql(filters: ReportFilters, condition: (d: ReportDimension, marks: string) => string): { name: string; where: string; params: string[] } {
  const names: string[] = [];
  const parts: string[] = [];
  const params: string[] = [];
  for (const d of REPORT_DIMENSIONS) {
    const values = filters[d];
    if (!values || values.length === 0) continue;
    parts.push(condition(d, values.map(() => '?').join(', ')));
    names.push(`${d}${values.length}`);
    params.push(...values);
  }
  return { name: names.join(','), where: parts.join(''), params };
}

/** The series key: the `by` columns joined by the separator (a constant of the code, never input), or '' without a breakdown. */
function keyExpr(columns: readonly string[], separator: string): string {
  if (columns.length === 0) return "''";
  if (!/^[|:]$/.test(separator)) throw new Error('unexpected key separator');
  return columns.join(` || '${separator}' || `);
}
