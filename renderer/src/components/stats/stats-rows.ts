import { STATS_SUMMABLE, type StatsPoint, type StatsSeries, type StatsSummable } from '../../../../common/schemas/stats';

/** The summable measures of one line of the statistics. */
export type StatsTotals = Record<StatsSummable, number>;

/** Totals of one line of the statistics (a time bucket, or a creative/zone/site). */
export interface StatsRow extends StatsTotals {
  label: string;
  /** Estimated distinct visitors (daily points of a whole campaign only); absent or null elsewhere. */
  reach?: number | null;
}

/** Click-through rate; null when nothing was seen. */
export const ctrOf = (r: { impressions: number; clicks: number }) => (r.impressions ? r.clicks / r.impressions : null);

/** Viewable rate: viewable impressions of those that could be measured; null when none could. */
export const viewableRateOf = (r: { viewable: number; measurable: number }) => (r.measurable ? r.viewable / r.measurable : null);

/** All summable measures at zero. */
export function zeroTotals(): StatsTotals {
  const t = {} as StatsTotals;
  for (const m of STATS_SUMMABLE) t[m] = 0;
  return t;
}

/** Adds `p`'s summable measures into `into` (returns it). */
export function addTotals<T extends StatsTotals>(into: T, p: StatsTotals): T {
  for (const m of STATS_SUMMABLE) into[m] += p[m];
  return into;
}

/** Adds up the points of a series. */
export function totalsOf(points: readonly StatsPoint[]): StatsTotals {
  return points.reduce((t, p) => addTotals(t, p), zeroTotals());
}

/** One row per series (breakdown), labelled through `names`, biggest first. */
export function breakdownRows(series: readonly StatsSeries[], names: ReadonlyMap<string, string>): StatsRow[] {
  return series.map((s) => ({ label: names.get(s.key) ?? s.key, ...totalsOf(s.points) })).sort((a, b) => b.impressions - a.impressions);
}

/** Sums several series point by point (the campaign as a whole); reach does not add up, so it stays only for a single series. */
export function mergedPoints(series: readonly StatsSeries[]): StatsPoint[] {
  const byTime = new Map<string, StatsPoint>();
  for (const s of series) {
    for (const p of s.points) {
      let t = byTime.get(p.t);
      if (!t) byTime.set(p.t, (t = { t: p.t, ...zeroTotals(), reach: series.length === 1 ? p.reach : null }));
      addTotals(t, p);
    }
  }
  return [...byTime.values()].sort((a, b) => a.t.localeCompare(b.t));
}
