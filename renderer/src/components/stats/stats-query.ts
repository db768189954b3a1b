import type { StatsDimension, StatsGranularity } from '../../../../common/schemas/stats';
import type { StatsRequest } from '../../stores/stats';

/** The statistics query as the form holds it: dates as YYYY-MM-DD (inclusive, local days), `by` '' for none. */
export interface StatsFilterValue {
  campaignId: string;
  from: string;
  to: string;
  granularity: StatsGranularity;
  by: StatsDimension | '';
}

const GRANULARITIES: readonly string[] = ['hour', 'day'];
const DIMENSIONS: readonly string[] = ['creative', 'zone', 'site', 'country'];
const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The filter from the page's query string, defaulting to the last 7 days by day. */
export function filterFromQuery(q: Record<string, unknown>): StatsFilterValue {
  const today = new Date();
  return {
    campaignId: typeof q.campaignId === 'string' ? q.campaignId : '',
    from: isDate(q.from) ? q.from : localDate(new Date(today.getTime() - 6 * 86_400_000)),
    to: isDate(q.to) ? q.to : localDate(today),
    granularity: GRANULARITIES.includes(String(q.granularity)) ? (q.granularity as StatsGranularity) : 'day',
    by: DIMENSIONS.includes(String(q.by)) ? (q.by as StatsDimension) : '',
  };
}

/** The query string that reproduces a filter (for a shareable, reloadable URL). */
export function queryOf(v: StatsFilterValue): Record<string, string> {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== '')) as Record<string, string>;
}

/** The API request for a filter: [local midnight of `from`, local midnight after `to`) as ISO instants. */
export function requestOf(v: StatsFilterValue): StatsRequest & Record<string, unknown> {
  const instant = (date: string, plusDays = 0) => {
    const d = new Date(`${date}T00:00:00`);
    if (Number.isNaN(d.getTime())) return date;
    d.setDate(d.getDate() + plusDays);
    return d.toISOString();
  };
  return { campaignId: v.campaignId, from: instant(v.from), to: instant(v.to, 1), granularity: v.granularity, ...(v.by ? { by: v.by } : {}) };
}
