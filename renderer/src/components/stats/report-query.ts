import { localDate as operatorDate } from '../../../../common/local-time';
import { operatorTimeZone } from '../../composables/operator-zone';
import { REPORT_DIMENSIONS, REPORT_FILTER_PARAMS, type ReportDimension, type StatsGranularity } from '../../../../common/schemas/stats';

/** Date presets of the report; `custom` keeps the dates as entered. */
export const REPORT_PRESETS = ['today', 'yesterday', 'last7', 'last30', 'thisMonth', 'lastMonth', 'custom'] as const;
export type ReportPreset = (typeof REPORT_PRESETS)[number];

/** A report as the page holds it (and its URL keeps): local dates (inclusive), filters and breakdown by dimension. */
export interface ReportState {
  preset: ReportPreset;
  from: string;
  to: string;
  granularity: StatsGranularity;
  by: ReportDimension[];
  filters: Record<ReportDimension, string[]>;
  compare: boolean;
}

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar date (YYYY-MM-DD) of an instant in the operator time zone (the server's days). */
export function localDate(d: Date): string {
  return operatorDate(d.getTime(), operatorTimeZone.value);
}

/** Pure calendar arithmetic on YYYY-MM-DD (no zone involved). */
const addDays = (date: string, days: number): string => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

/** The inclusive local dates a preset covers on `today`. */
export function presetRange(preset: Exclude<ReportPreset, 'custom'>, today: Date): { from: string; to: string } {
  const t = localDate(today);
  const monthStart = `${t.slice(0, 8)}01`;
  switch (preset) {
    case 'today':
      return { from: t, to: t };
    case 'yesterday':
      return { from: addDays(t, -1), to: addDays(t, -1) };
    case 'last7':
      return { from: addDays(t, -6), to: t };
    case 'last30':
      return { from: addDays(t, -29), to: t };
    case 'thisMonth':
      return { from: monthStart, to: t };
    case 'lastMonth': {
      const lastDay = addDays(monthStart, -1);
      return { from: `${lastDay.slice(0, 8)}01`, to: lastDay };
    }
  }
}

/** The period of the same number of days just before [from, to] (what the comparison shows). */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  return { from: addDays(from, -days), to: addDays(from, -1) };
}

/** An empty filter per dimension. */
export function noFilters(): Record<ReportDimension, string[]> {
  return Object.fromEntries(REPORT_DIMENSIONS.map((d) => [d, []])) as unknown as Record<ReportDimension, string[]>;
}

const list = (v: unknown): string[] => (typeof v === 'string' && v !== '' ? v.split(',').filter((x) => x !== '') : []);

/** The report from the page's query string; an empty query is all campaigns, the last 7 days by day. */
export function reportFromQuery(q: Record<string, unknown>, today = new Date()): ReportState {
  const preset = (REPORT_PRESETS as readonly string[]).includes(String(q.preset)) ? (q.preset as ReportPreset) : isDate(q.from) && isDate(q.to) ? 'custom' : 'last7';
  const range = preset === 'custom' ? { from: isDate(q.from) ? q.from : localDate(today), to: isDate(q.to) ? q.to : localDate(today) } : presetRange(preset, today);
  const filters = noFilters();
  for (const d of REPORT_DIMENSIONS) filters[d] = list(q[REPORT_FILTER_PARAMS[d]]);
  return {
    preset,
    ...range,
    granularity: q.granularity === 'hour' ? 'hour' : 'day',
    by: list(q.by).filter((d): d is ReportDimension => (REPORT_DIMENSIONS as readonly string[]).includes(d)).slice(0, 3),
    filters,
    compare: q.compare === '1',
  };
}

/** The query string that reproduces a report (shareable; presets stay relative to the day it is opened). */
export function queryOfReport(s: ReportState): Record<string, string> {
  const q: Record<string, string> = { preset: s.preset, granularity: s.granularity };
  if (s.preset === 'custom') Object.assign(q, { from: s.from, to: s.to });
  if (s.by.length > 0) q.by = s.by.join(',');
  for (const d of REPORT_DIMENSIONS) if (s.filters[d].length > 0) q[REPORT_FILTER_PARAMS[d]] = s.filters[d].join(',');
  if (s.compare) q.compare = '1';
  return q;
}

/**
 * The API query of a report over [`from`, the day after `to`), as dates: the server reads a date
 * as local midnight of the operator time zone, so the days are the server's, whatever the browser's zone.
 */
export function reportRequest(s: Pick<ReportState, 'from' | 'to' | 'granularity' | 'filters'>, by: readonly ReportDimension[] = []): Record<string, string> {
  const q: Record<string, string> = { from: s.from, to: isDate(s.to) ? addDays(s.to, 1) : s.to, granularity: s.granularity };
  for (const d of REPORT_DIMENSIONS) if (s.filters[d].length > 0) q[REPORT_FILTER_PARAMS[d]] = s.filters[d].join(',');
  if (by.length > 0) q.by = by.join(',');
  return q;
}

/** Change from `before` to `now` in per cent; null when there was nothing before. */
export function changePercent(now: number, before: number): number | null {
  return before === 0 ? null : ((now - before) / before) * 100;
}
