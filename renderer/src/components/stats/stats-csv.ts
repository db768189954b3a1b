import type { StatsSeries } from '../../../../common/schemas/stats';
import { toCsv } from '../../composables/download';

/**
 * The statistics as CSV in long format: one line per series and time bucket, so spreadsheets can
 * pivot it. Revenue is a plain number of EUR (to the micro-euro, as the API answers). `dimension` names what the series are (campaign, creative, zone or site).
 */
export function statsCsv(series: readonly StatsSeries[], dimension: string, names: ReadonlyMap<string, string>): string {
  const rows: Array<Array<string | number>> = [[dimension, 'name', 'time', 'served', 'impressions', 'clicks', 'ctr', 'revenue_eur', 'reach']];
  for (const s of series) {
    for (const p of s.points) {
      const ctr = p.impressions ? (p.clicks / p.impressions).toFixed(6) : '';
      // Reach: estimated distinct visitors of the day (empty where it does not apply: hours, breakdowns).
      rows.push([s.key, names.get(s.key) ?? '', p.t, p.served, p.impressions, p.clicks, ctr, p.revenue, p.reach ?? '']);
    }
  }
  return toCsv(rows);
}
