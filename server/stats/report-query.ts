import {
  REPORT_DIMENSIONS,
  REPORT_KEY_SEPARATOR,
  STATS_SUMMABLE,
  type ReportDimension,
  type ReportFilters,
  type ReportQuery,
  type StatsPoint,
  type StatsResponse,
  type StatsSeries,
  type StatsSummable,
} from '../../common/schemas/stats';
import { HyperLogLog } from './hyperloglog';
import { readSketch } from './reach-repo';
import type { ReportRepo, ReportRow } from './report-repo';
import { nextDayStartMs } from '../../common/local-time';
import type { DayClock } from '../../common/local-clock';
import { forEachRevenue, priceHistories, revenueEur } from './revenue';
import type { ReachSource } from './stats-query';

const HOUR_S = 3_600;
/** Dimensions that belong to a whole campaign: flat fees and reach sketches can be keyed by them, not by a zone or creative. */
const CAMPAIGN_LEVEL: ReadonlySet<ReportDimension> = new Set(['customer', 'campaign']);

/** What a report needs besides the query: the clock, reach, and the key of an unsplit series. */
export interface ReportOptions {
  nowMs: number;
  reach?: ReachSource;
  /** Key of the single series when nothing splits it (the campaign's id for `campaignId=ID` alone, as before). */
  totalKey: string;
  /** The operator's days: daily buckets are its local days. */
  days: DayClock;
}

/** The buckets (unix seconds) of a query and its range [from, to): whole hours, or whole local days, up to the current one. */
export function reportBuckets(granularity: 'hour' | 'day', fromMs: number, toMs: number, nowMs: number, days: DayClock): { from: number; to: number; buckets: number[] } {
  const buckets: number[] = [];
  if (granularity === 'hour') {
    const from = Math.floor(fromMs / 1000 / HOUR_S) * HOUR_S;
    const to = Math.min(Math.ceil(toMs / 1000), Math.floor(nowMs / 1000 / HOUR_S) * HOUR_S + HOUR_S);
    for (let t = from; t < to; t += HOUR_S) buckets.push(t);
    return { from, to, buckets };
  }
  // A day bucket is the whole local day: a `to` inside a day includes that day.
  const tz = days.timeZone;
  const from = days.dayOf(fromMs);
  const lastDay = days.dayOf(toMs - 1);
  const end = Math.min(nextDayStartMs(lastDay, tz), nextDayStartMs(days.dayOf(nowMs), tz));
  for (let t = from; t < end; t = nextDayStartMs(t, tz)) buckets.push(t / 1000);
  return { from: from / 1000, to: Math.max(from, end) / 1000, buckets };
}

/**
 * A report over [from, to): the rollup rows the filters admit (one grouped query), one series per
 * key of the `by` dimensions (or one series without `by`), each with a point per bucket from
 * `from` rounded down to the bucket size (UTC) up to the current bucket — no future points — and
 * its totals; the grand totals are the sum of the series. Counted revenue is the rollups' own
 * counter (priced at the price in effect each hour when stored, recomputed after a price change);
 * a flat fee (revenue.ts) only where it can be placed (no filter or breakdown
 * finer than customer/campaign). Reach only where it is defined: daily points, split at most by
 * customer/campaign and filtered by nothing finer (sketches of a series' campaigns merged).
 */
export function statsReport(repo: ReportRepo, q: ReportQuery, filters: ReportFilters, opts: ReportOptions): StatsResponse {
  const by = q.by ?? [];
  const { from, to, buckets } = reportBuckets(q.granularity, q.from, q.to, opts.nowMs, opts.days);
  const bucketOf = q.granularity === 'hour' ? (hour: number) => hour : (hour: number) => opts.days.dayOf(hour * 1000) / 1000;

  const revenue = new Map<string, Map<number, number>>();
  const byKey = new Map<string, Map<number, ReportRow>>();
  if (by.length === 0) byKey.set(opts.totalKey, new Map());
  const addRevenue = (key: string, bucket: number, micros: number): void => {
    let m = revenue.get(key);
    if (!m) revenue.set(key, (m = new Map()));
    if (!byKey.has(key)) byKey.set(key, new Map());
    m.set(bucket, (m.get(bucket) ?? 0) + micros);
  };
  if (to > from) {
    // Counted revenue is a counter of the rollups (stored at the price in force each hour), summed with the counts.
    for (const r of repo.rows(filters, by, from, to, q.granularity, REPORT_KEY_SEPARATOR)) {
      const key = by.length === 0 ? opts.totalKey : r[1];
      let m = byKey.get(key);
      if (!m) byKey.set(key, (m = new Map()));
      m.set(r[0], r);
      if (r[7] !== 0) addRevenue(key, r[0], r[7] / 1000);
    }
  }

  const filtered = REPORT_DIMENSIONS.filter((d) => (filters[d]?.length ?? 0) > 0);
  const campaignLevel = filtered.every((d) => CAMPAIGN_LEVEL.has(d)) && by.every((d) => CAMPAIGN_LEVEL.has(d));
  const keyOf = (campaignId: string, customerId: string): string =>
    by.length === 0 ? opts.totalKey : by.map((d) => (d === 'customer' ? customerId : campaignId)).join(REPORT_KEY_SEPARATOR);

  // Flat fees spread per hour over their flight, where they can be placed (see forEachRevenue).
  const priceRows = to > from && campaignLevel ? repo.priceHistories(filters) : [];
  if (priceRows.some((r) => r.model === 'flat')) {
    const customerOf = new Map(priceRows.map((r) => [r.campaignId, r.customerId]));
    const flatKey = (campaignId: string) => keyOf(campaignId, customerOf.get(campaignId) ?? '');
    forEachRevenue(priceHistories(priceRows), [], { from, to, flatKey }, (_, key, hour, micros) => addRevenue(by.length === 0 ? opts.totalKey : key, bucketOf(hour), micros));
  }

  const reachApplies = opts.reach !== undefined && q.granularity === 'day' && campaignLevel;
  const reach = reachApplies && to > from ? dailyReach(repo, filters, from, to, keyOf) : null;
  const noSketch = opts.reach?.measuring ? 0 : null;

  // Each bucket's timestamp text once, not once per series (a year by customer: 365, not 11,000).
  const stamps = buckets.map((t) => new Date(t * 1000).toISOString());
  const series: StatsSeries[] = [...byKey.keys()].sort().map((key) => {
    const m = byKey.get(key)!;
    const money = revenue.get(key);
    const totals = { served: 0, impressions: 0, clicks: 0, viewable: 0, measurable: 0, revenue: 0 };
    const points = buckets.map((t, i): StatsPoint => {
      const r = m.get(t);
      const p: StatsPoint = {
        t: stamps[i]!,
        served: r ? r[2] : 0,
        impressions: r ? r[3] : 0,
        clicks: r ? r[4] : 0,
        viewable: r ? r[5] : 0,
        measurable: r ? r[6] : 0,
        revenue: money ? revenueEur(money.get(t) ?? 0) : 0,
        reach: reach ? (reach.get(`${key}\t${t}`) ?? noSketch) : null,
      };
      totals.served += p.served;
      totals.impressions += p.impressions;
      totals.clicks += p.clicks;
      totals.viewable += p.viewable;
      totals.measurable += p.measurable;
      totals.revenue += p.revenue;
      return p;
    });
    totals.revenue = Math.round(totals.revenue * 1e6) / 1e6;
    return { key, ...(by.length > 0 ? { parts: key.split(REPORT_KEY_SEPARATOR) } : {}), points, totals };
  });
  return { by, series, totals: sumOf(series.map((s) => s.totals!)) };
}

/** Reach per series key and day ("key\tday"): the sketches of the key's campaigns of that day merged. */
function dailyReach(repo: ReportRepo, filters: ReportFilters, from: number, to: number, keyOf: (campaignId: string, customerId: string) => string): Map<string, number> {
  const merged = new Map<string, HyperLogLog>();
  for (const row of repo.reach(filters, from, to)) {
    const k = `${keyOf(row.campaignId, row.customerId)}\t${row.day}`;
    const sketch = readSketch(row.registers);
    const have = merged.get(k);
    if (have) have.merge(sketch);
    else merged.set(k, sketch);
  }
  return new Map([...merged].map(([k, sketch]) => [k, sketch.estimate()]));
}

/** The summable measures added up; revenue to the micro-euro so float sums do not show 0.30000000000000004. */
function sumOf(items: ReadonlyArray<Record<StatsSummable, number>>): Record<StatsSummable, number> {
  const t = Object.fromEntries(STATS_SUMMABLE.map((m) => [m, 0])) as Record<StatsSummable, number>;
  for (const it of items) for (const m of STATS_SUMMABLE) t[m] += it[m];
  t.revenue = Math.round(t.revenue * 1e6) / 1e6;
  return t;
}

/** A report query's filters by dimension. */
export function reportFilters(q: ReportQuery): ReportFilters {
  return { customer: q.customerId, campaign: q.campaignId, creative: q.creativeId, site: q.siteId, zone: q.zoneId, country: q.country };
}
