import type { CampaignTotals, CustomerTotals, StatsPoint, StatsQuery, StatsResponse, StatsSummary } from '../../common/schemas/stats';
import { nextDayStartMs } from '../../common/local-time';
import { forEachRevenue, priceHistories, revenueEur, revenueSegments } from './revenue';
import type { BucketRow, RevenueScope, StatsRepo, StatsScope } from './stats-repo';
import { HyperLogLog } from './hyperloglog';
import { readSketch, type ReachRepo } from './reach-repo';

const BUCKET_SECONDS = { hour: 3_600, day: 86_400 } as const;

/** A campaign's series for [from, to) (GET /api/stats); see scopedSeries. */
export function campaignSeries(repo: StatsRepo, q: StatsQuery, reach?: ReachSource): StatsResponse {
  return scopedSeries(repo, { kind: 'campaign', id: q.campaignId }, q, reach);
}

/**
 * The series of a campaign or of all a customer's campaigns for [from, to): buckets start at
 * `from` rounded down to the bucket size (UTC), every bucket has a point (zeros when nothing
 * happened). Without `by` there is one series keyed by the scope's id; with `by`, one per creative,
 * zone, site or country that has any counts (country "" is unknown). Daily points of the whole
 * scope carry reach from the stored sketches: a day without one is 0 while reach is measured and
 * null while it is off (nothing was measured); other points (and all without `reach`) null.
 */
export function scopedSeries(repo: StatsRepo, scope: StatsScope, q: Omit<StatsQuery, 'campaignId'>, reach?: ReachSource): StatsResponse {
  const size = BUCKET_SECONDS[q.granularity];
  const from = Math.floor(q.from / 1000 / size) * size;
  const to = Math.ceil(q.to / 1000);
  const rows = repo.series(scope, from, to, size, q.by);
  const byKey = new Map<string, Map<number, BucketRow>>();
  if (!q.by) byKey.set(scope.id, new Map());
  for (const r of rows) {
    let m = byKey.get(r.key);
    if (!m) byKey.set(r.key, (m = new Map()));
    m.set(r.bucket, r);
  }
  const revenue = new Map<string, Map<number, number>>();
  const histories = priceHistories(repo.priceHistories(scope));
  if (histories.size > 0) {
    const counts = repo.revenueCounts(scope, from, to, q.by);
    forEachRevenue(histories, counts, { from, to, flatKey: q.by ? null : () => scope.id }, (_, key, hour, micros) => {
      const k = q.by ? key : scope.id;
      let m = revenue.get(k);
      if (!m) revenue.set(k, (m = new Map()));
      const bucket = hour - (hour % size);
      m.set(bucket, (m.get(bucket) ?? 0) + micros);
    });
  }
  const buckets: number[] = [];
  for (let t = from; t < to; t += size) buckets.push(t);
  const reachByDay = reach && q.granularity === 'day' && !q.by ? dailyReach(reach.repo, scope, from, to) : null;
  const noSketch = reach?.measuring ? 0 : null;
  const series = [...byKey].map(([key, m]) => ({
    key,
    points: buckets.map((t): StatsPoint => {
      const r = m.get(t);
      return {
        t: new Date(t * 1000).toISOString(),
        served: r?.served ?? 0,
        impressions: r?.impressions ?? 0,
        clicks: r?.clicks ?? 0,
        viewable: r?.viewable ?? 0,
        measurable: r?.measurable ?? 0,
        revenue: revenueEur(revenue.get(key)?.get(t) ?? 0),
        reach: reachByDay ? (reachByDay.get(t) ?? noSketch) : null,
      };
    }),
  }));
  return { series };
}

/** Revenue in micro-euros per campaign for hours [from, to) (unix seconds), flat fees included (statistics and statements). */
export function revenueByCampaign(repo: StatsRepo, scope: RevenueScope, from: number, to: number): Map<string, number> {
  const out = new Map<string, number>();
  const histories = priceHistories(repo.priceHistories(scope));
  if (histories.size === 0) return out;
  // Counted revenue summed in SQL, whole local days from the daily rollup; flat fees spread per hour.
  const segments = revenueSegments(histories, from, to, repo.days, (d) => nextDayStartMs(d, repo.days.timeZone));
  for (const [campaignId, milli] of repo.revenueByCampaign(segments)) out.set(campaignId, milli / 1000);
  forEachRevenue(histories, [], { from, to, flatKey: () => '' }, (campaignId, _, __, micros) => {
    out.set(campaignId, (out.get(campaignId) ?? 0) + micros);
  });
  return out;
}

/** Where series read reach: the stored sketches, and whether reach is being measured now (`--reach`). */
export interface ReachSource {
  repo: ReachRepo;
  measuring: boolean;
}

/** Reach estimate per day start (unix seconds) in [from, to): each day's sketches of the scope merged. */
function dailyReach(reach: ReachRepo, scope: StatsScope, from: number, to: number): Map<number, number> {
  const merged = new Map<number, HyperLogLog>();
  for (const row of reach.series(scope, from, to)) {
    const sketch = readSketch(row.registers);
    const day = merged.get(row.day);
    if (day) day.merge(sketch);
    else merged.set(row.day, sketch);
  }
  return new Map([...merged].map(([day, sketch]) => [day, sketch.estimate()]));
}

/** The hours of a totals range [from, to) (ms): from the start of `from`'s hour, in epoch seconds. */
function hourRange(fromMs: number, toMs: number): { from: number; to: number } {
  return { from: Math.floor(fromMs / 1000 / BUCKET_SECONDS.hour) * BUCKET_SECONDS.hour, to: Math.ceil(toMs / 1000) };
}

/** Totals of one customer's campaigns for [from, to) (ms). */
export function customerTotals(repo: StatsRepo, customerId: string, fromMs: number, toMs: number): CustomerTotals {
  const { from, to } = hourRange(fromMs, toMs);
  let micros = 0;
  for (const m of revenueByCampaign(repo, { kind: 'customer', id: customerId }, from, to).values()) micros += m;
  return { customerId, from: new Date(from * 1000).toISOString(), to: new Date(toMs).toISOString(), ...repo.customerSum(customerId, from, to), revenue: revenueEur(micros) };
}

/**
 * Totals per campaign for [from, to) (ms), plus the grand total; `reachDailySum` adds the daily
 * reach of the UTC days starting in the range (see CampaignTotals).
 */
export function statsSummary(repo: StatsRepo, fromMs: number, toMs: number, reach?: ReachRepo): StatsSummary {
  const { from, to } = hourRange(fromMs, toMs);
  const reachSums = new Map<string, number>();
  if (reach) {
    const firstDay = Math.ceil(from / BUCKET_SECONDS.day) * BUCKET_SECONDS.day;
    for (const row of reach.range(firstDay, to)) reachSums.set(row.campaignId, (reachSums.get(row.campaignId) ?? 0) + readSketch(row.registers).estimate());
  }
  const revenue = revenueByCampaign(repo, { kind: 'all' }, from, to);
  const campaigns: CampaignTotals[] = repo.summary(from, to).map((c) => ({ ...c, revenue: revenueEur(revenue.get(c.campaignId) ?? 0), reachDailySum: reachSums.get(c.campaignId) ?? 0 }));
  // A flat fee earns in hours without any count: such a campaign is listed with its revenue alone.
  const listed = new Set(campaigns.map((c) => c.campaignId));
  for (const [campaignId, micros] of revenue) {
    if (!listed.has(campaignId) && micros > 0) campaigns.push({ campaignId, served: 0, impressions: 0, clicks: 0, viewable: 0, measurable: 0, revenue: revenueEur(micros), reachDailySum: reachSums.get(campaignId) ?? 0 });
  }
  campaigns.sort((x, y) => (x.campaignId < y.campaignId ? -1 : x.campaignId > y.campaignId ? 1 : 0));
  const total = { served: 0, impressions: 0, clicks: 0, viewable: 0, measurable: 0, revenue: 0, reachDailySum: 0 };
  for (const c of campaigns) {
    total.served += c.served;
    total.impressions += c.impressions;
    total.clicks += c.clicks;
    total.viewable += c.viewable;
    total.measurable += c.measurable;
    total.revenue += c.revenue;
    total.reachDailySum += c.reachDailySum;
  }
  total.revenue = Math.round(total.revenue * 1e6) / 1e6;
  return { from: new Date(from * 1000).toISOString(), to: new Date(toMs).toISOString(), campaigns, total };
}
