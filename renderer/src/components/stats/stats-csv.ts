import type { StatsSeries } from '../../../../common/schemas/stats';
import { toCsv } from '../../composables/download';

/**
 * The statistics as CSV in long format: one line per series and time bucket, so spreadsheets can
 * pivot it. `dimension` names what the series are (campaign, creative, zone or site).
 */
export function statsCsv(series: readonly StatsSeries[], dimension: string, names: ReadonlyMap<string, string>): string {
  const rows: Array<Array<string | number>> = [[dimension, 'name', 'time', 'served', 'impressions', 'clicks', 'ctr', 'viewable', 'measurable', 'viewable_rate']];
  for (const s of series) {
    for (const p of s.points) {
      const ctr = p.impressions ? (p.clicks / p.impressions).toFixed(6) : '';
      const viewableRate = p.measurable ? (p.viewable / p.measurable).toFixed(6) : '';
      rows.push([s.key, names.get(s.key) ?? '', p.t, p.served, p.impressions, p.clicks, ctr, p.viewable, p.measurable, viewableRate]);
    }
  }
  return toCsv(rows);
}
