import type { StatsPoint, StatsSeries } from '../../../../common/schemas/stats';

/** Totals of one line of the statistics (a time bucket, or a creative/zone/site). */
export interface StatsRow {
  label: string;
  served: number;
  impressions: number;
  clicks: number;
}

/** Click-through rate; null when nothing was seen. */
export const ctrOf = (r: { impressions: number; clicks: number }) => (r.impressions ? r.clicks / r.impressions : null);

/** Adds up the points of a series. */
export function totalsOf(points: readonly StatsPoint[]): Omit<StatsRow, 'label'> {
  return points.reduce((t, p) => ({ served: t.served + p.served, impressions: t.impressions + p.impressions, clicks: t.clicks + p.clicks }), {
    served: 0,
    impressions: 0,
    clicks: 0,
  });
}

/** One row per series (breakdown), labelled through `names`, biggest first. */
export function breakdownRows(series: readonly StatsSeries[], names: ReadonlyMap<string, string>): StatsRow[] {
  return series.map((s) => ({ label: names.get(s.key) ?? s.key, ...totalsOf(s.points) })).sort((a, b) => b.impressions - a.impressions);
}

/** Sums several series point by point (the campaign as a whole). */
export function mergedPoints(series: readonly StatsSeries[]): StatsPoint[] {
  const byTime = new Map<string, StatsPoint>();
  for (const s of series) {
    for (const p of s.points) {
      const t = byTime.get(p.t) ?? { t: p.t, served: 0, impressions: 0, clicks: 0 };
      byTime.set(p.t, { t: p.t, served: t.served + p.served, impressions: t.impressions + p.impressions, clicks: t.clicks + p.clicks });
    }
  }
  return [...byTime.values()].sort((a, b) => a.t.localeCompare(b.t));
}
