import { ctrOf, viewableRateOf, type StatsRow, type StatsTotals } from './stats-rows';

/** How a column's value is shown: a count, a rate (0–1) or an amount in EUR. */
export type ColumnKind = 'count' | 'rate' | 'euro';

/** One measure of the statistics as the table, the CSV and the charts show it. */
export interface StatsColumn {
  /** i18n key under `stats.` and the CSV header. */
  id: string;
  csv: string;
  kind: ColumnKind;
  /** The value of a row (or point); null when it does not apply (a rate of nothing, reach of an hour). */
  value: (r: StatsTotals & { reach?: number | null }) => number | null;
  /** Rates and reach do not add up: the total row derives them (rates) or leaves them empty (reach). */
  total: 'sum' | 'derived' | 'none';
  /** Shown only when some row has a value (reach: daily points of a whole campaign while measured). */
  optional?: boolean;
  /** Title (hover) text key, when the measure needs explaining. */
  hint?: string;
}

/**
 * The measures in the order every view shows them: delivery, viewability, clicks, reach, revenue.
 * One list, so the table, the CSV and the charts cannot drift apart.
 */
export const STATS_COLUMNS: readonly StatsColumn[] = [
  { id: 'served', csv: 'served', kind: 'count', value: (r) => r.served, total: 'sum' },
  { id: 'impressions', csv: 'impressions', kind: 'count', value: (r) => r.impressions, total: 'sum' },
  { id: 'viewable', csv: 'viewable', kind: 'count', value: (r) => r.viewable, total: 'sum' },
  { id: 'measurable', csv: 'measurable', kind: 'count', value: (r) => r.measurable, total: 'sum' },
  { id: 'viewableRate', csv: 'viewable_rate', kind: 'rate', value: viewableRateOf, total: 'derived' },
  { id: 'clicks', csv: 'clicks', kind: 'count', value: (r) => r.clicks, total: 'sum' },
  { id: 'ctr', csv: 'ctr', kind: 'rate', value: ctrOf, total: 'derived' },
  { id: 'reach', csv: 'reach', kind: 'count', value: (r) => r.reach ?? null, total: 'none', optional: true, hint: 'reachHint' },
  { id: 'revenue', csv: 'revenue_eur', kind: 'euro', value: (r) => r.revenue, total: 'sum' },
];

/** The columns to show for these rows: optional ones only when some row has a value. */
export function visibleColumns(rows: readonly StatsRow[]): StatsColumn[] {
  return STATS_COLUMNS.filter((c) => !c.optional || rows.some((r) => c.value(r) !== null));
}

/** A value as CSV writes it: counts as they are, rates to 6 decimals, EUR to the cent's micro (as the API), empty for null. */
export function csvValue(c: StatsColumn, v: number | null): string | number {
  if (v === null) return '';
  return c.kind === 'rate' ? v.toFixed(6) : v;
}
