import { localMidnightMs } from '../../common/local-time';
import { isMonth, monthOf, STATEMENT_FIRST_MONTH } from '../../common/schemas/statement';
import { HttpError } from '../http/http-error';

/** A statement month as epoch ms: [from, to) = its first instant up to the next month's first instant. */
export interface MonthRange {
  month: string;
  timeZone: string;
  fromMs: number;
  toMs: number;
}

/** The month's range in the operator time zone (the one place that decides month boundaries). */
export function monthRange(month: string, timeZone: string): MonthRange {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return { month, timeZone, fromMs: localMidnightMs(y, m, 1, timeZone), toMs: localMidnightMs(y, m + 1, 1, timeZone) };
}

/**
 * Checks a month from the path: YYYY-MM, not before STATEMENT_FIRST_MONTH and not after the current
 * month (the current one is a running statement: what was delivered so far).
 */
export function parseStatementMonth(month: string | undefined, now: Date, timeZone: string): MonthRange {
  const latest = monthOf(now, timeZone);
  const params = { earliest: STATEMENT_FIRST_MONTH, latest };
  if (!month || !isMonth(month)) {
    throw new HttpError(400, 'statement_month_invalid', 'Give the month as YYYY-MM, for example 2025-06.', undefined, undefined, params);
  }
  if (month < STATEMENT_FIRST_MONTH || month > latest) {
    throw new HttpError(400, 'statement_month_invalid', `The month must lie between ${STATEMENT_FIRST_MONTH} and ${latest}.`, undefined, undefined, params);
  }
  return monthRange(month, timeZone);
}
