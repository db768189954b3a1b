import { dateStartMs } from '../../common/local-time';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The query as an object, with `from` and `to` given as dates (YYYY-MM-DD) turned into the
 * instants of local midnight in the operator time zone (the schemas read a bare date as UTC).
 */
export function queryWithLocalDates(query: URLSearchParams, timeZone: string): Record<string, string> {
  const q = Object.fromEntries(query);
  for (const k of ['from', 'to']) {
    const v = q[k];
    if (v !== undefined && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`))) q[k] = new Date(dateStartMs(v, timeZone)).toISOString();
  }
  return q;
}
