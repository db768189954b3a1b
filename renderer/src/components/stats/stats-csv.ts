import type { StatsSeries } from '../../../../common/schemas/stats';
import { toCsv } from '../../composables/download';
import { csvValue, STATS_COLUMNS } from './stats-columns';

/**
 * The statistics as CSV in long format: one line per series and time bucket, so spreadsheets can
 * pivot it. `dimension` names what the series are (campaign, creative, zone, site or country).
 * Every measure of STATS_COLUMNS is a column; reach is empty where it does not apply (hours,
 * breakdowns), rates where nothing was counted.
 */
export function statsCsv(series: readonly StatsSeries[], dimension: string, names: ReadonlyMap<string, string>): string {
  const rows: Array<Array<string | number>> = [[dimension, 'name', 'time', ...STATS_COLUMNS.map((c) => c.csv)]];
  for (const s of series) {
    for (const p of s.points) rows.push([s.key, names.get(s.key) ?? '', p.t, ...STATS_COLUMNS.map((c) => csvValue(c, c.value(p)))]);
  }
  return toCsv(rows);
}
