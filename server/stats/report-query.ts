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
import { forEachRevenue, priceHistories, revenueEur } from './revenue';
import type { ReachSource } from './stats-query';

const BUCKET_SECONDS = { hour: 3_600, day: 86_400 } as const;
/** Dimensions that belong to a whole campaign: flat fees and reach sketches can be keyed by them, not by a zone or creative. */
const CAMPAIGN_LEVEL: ReadonlySet<ReportDimension> = new Set(['customer', 'campaign']);

/** What a report needs besides the query: the clock, reach, and the key of an unsplit series. */
export interface ReportOptions {
  nowMs: number;
  reach?: ReachSource;
  /** Key of the single series when nothing splits it (the campaign's id for `campaignId=ID` alone, as before). */
  totalKey: string;
}

/**
 * A report over [from, to): the rollup rows the filters admit (one grouped query), one series per
 * key of the `by` dimensions (or one series without `by`), each with a point per bucket from
 * `from` rounded down to the bucket size (UTC) up to the current bucket — no future points — and
 * its totals; the grand totals are the sum of the series. Revenue comes from revenue.ts at the
 * price in effect each hour; a flat fee only where it can be placed (no filter or breakdown
 * finer than customer/campaign). Reach only where it is defined: daily points, split at most by
 * customer/campaign and filtered by nothing finer (sketches of a series' campaigns merged).
 */
export function statsReport(repo: ReportRepo, q: ReportQuery, filters: ReportFilters, opts: ReportOptions): StatsResponse {
  const size = BUCKET_SECONDS[q.granularity];
  const by = q.by ?? [];
  const from = Math.floor(q.from / 1000 / size) * size;
  const currentBucketEnd = Math.floor(opts.nowMs / 1000 / size) * size + size;
  const to = Math.min(Math.ceil(q.to / 1000), currentBucketEnd);
  const buckets: number[] = [];
  for (let t = from; t < to; t += size) buckets.push(t);

  const byKey = new Map<string, Map<number, ReportRow>>();
  if (by.length === 0) byKey.set(opts.totalKey, new Map());
  if (to > from) {
    for (const r of repo.rows(filters, by, from, to, size, REPORT_KEY_SEPARATOR)) {
      const key = by.length === 0 ? opts.totalKey : r.key;
      let m = byKey.get(key);
      if (!m) byKey.set(key, (m = new Map()));
      m.set(r.bucket, r);
    }
  }

  const filtered = REPORT_DIMENSIONS.filter((d) => (filters[d]?.length ?? 0) > 0);
  const campaignLevel = filtered.every((d) => CAMPAIGN_LEVEL.has(d)) && by.every((d) => CAMPAIGN_LEVEL.has(d));
  const keyOf = (campaignId: string, customerId: string): string =>
    by.length === 0 ? opts.totalKey : by.map((d) => (d === 'customer' ? customerId : campaignId)).join(REPORT_KEY_SEPARATOR);

  const revenue = new Map<string, Map<number, number>>();
  const priceRows = to > from ? repo.priceHistories(filters) : [];
  if (priceRows.length > 0) {
    const customerOf = new Map(priceRows.map((r) => [r.campaignId, r.customerId]));
    const flatKey = campaignLevel ? (campaignId: string) => keyOf(campaignId, customerOf.get(campaignId) ?? '') : null;
    const counts = repo.revenueCounts(filters, by, from, to, REPORT_KEY_SEPARATOR);
    forEachRevenue(priceHistories(priceRows), counts, { from, to, flatKey }, (_, key, hour, micros) => {
      const k = by.length === 0 ? opts.totalKey : key;
      let m = revenue.get(k);
      if (!m) revenue.set(k, (m = new Map()));
      if (!byKey.has(k)) byKey.set(k, new Map());
      const bucket = hour - (hour % size);
      m.set(bucket, (m.get(bucket) ?? 0) + micros);
    });
  }

  const reachApplies = opts.reach !== undefined && q.granularity === 'day' && campaignLevel;
  const reach = reachApplies && to > from ? dailyReach(repo, filters, from, to, keyOf) : null;
  const noSketch = opts.reach?.measuring ? 0 : null;

  const series: StatsSeries[] = [...byKey.keys()].sort().map((key) => {
    const m = byKey.get(key)!;
    const points = buckets.map((t): StatsPoint => {
      const r = m.get(t);
      return {
        t: new Date(t * 1000).toISOString(),
        served: r?.served ?? 0,
        impressions: r?.impressions ?? 0,
        clicks: r?.clicks ?? 0,
        viewable: r?.viewable ?? 0,
        measurable: r?.measurable ?? 0,
        revenue: revenueEur(revenue.get(key)?.get(t) ?? 0),
        reach: reach ? (reach.get(`${key}\t${t}`) ?? noSketch) : null,
      };
    });
    return { key, ...(by.length > 0 ? { parts: key.split(REPORT_KEY_SEPARATOR) } : {}), points, totals: sumOf(points) };
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
