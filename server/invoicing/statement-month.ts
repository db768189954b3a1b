import { isMonth, monthOf, STATEMENT_FIRST_MONTH, STATEMENT_TIME_ZONE } from '../../common/schemas/statement';
import { HttpError } from '../http/http-error';

/** A statement month as epoch ms: [from, to) = its first instant up to the next month's first instant. */
export interface MonthRange {
  month: string;
  timeZone: string;
  fromMs: number;
  toMs: number;
}

/** The zone's offset from UTC (ms) at an instant. */
function offsetMs(atMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(atMs);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - Math.floor(atMs / 1000) * 1000;
}

/** The UTC instant of local midnight starting the 1st of a month (month 13 = January of the next year). */
function localMonthStart(year: number, month: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, 1);
  // The offset at the wall time read as UTC is at most one transition off; a second look settles it.
  let at = wall - offsetMs(wall, timeZone);
  at = wall - offsetMs(at, timeZone);
  return at;
}

/** The month's range in the statement time zone (the one place that decides month boundaries). */
export function monthRange(month: string, timeZone = STATEMENT_TIME_ZONE): MonthRange {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { month, timeZone, fromMs: localMonthStart(y, m, timeZone), toMs: localMonthStart(y, m + 1, timeZone) };
}

/**
 * Checks a month from the path: YYYY-MM, not before STATEMENT_FIRST_MONTH and not after the current
 * month (the current one is a running statement: what was delivered so far).
 */
export function parseStatementMonth(month: string | undefined, now: Date): MonthRange {
  const latest = monthOf(now);
  const params = { earliest: STATEMENT_FIRST_MONTH, latest };
  if (!month || !isMonth(month)) {
    throw new HttpError(400, 'statement_month_invalid', 'Give the month as YYYY-MM, for example 2025-06.', undefined, undefined, params);
  }
  if (month < STATEMENT_FIRST_MONTH || month > latest) {
    throw new HttpError(400, 'statement_month_invalid', `The month must lie between ${STATEMENT_FIRST_MONTH} and ${latest}.`, undefined, undefined, params);
  }
  return monthRange(month);
}
