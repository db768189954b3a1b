import { DEFAULT_TIME_ZONE } from '../local-time';
import type { PriceModel } from './pricing';


/** The earliest month a statement may be asked for (nothing was counted before it). */
export const STATEMENT_FIRST_MONTH = '2020-01';

/** Download formats of a statement. */
export const STATEMENT_FORMATS = ['json', 'csv', 'pdf'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

/** Languages of the CSV and PDF (the console's two). */
export const STATEMENT_LANGS = ['de', 'en'] as const;
export type StatementLang = (typeof STATEMENT_LANGS)[number];

/** A price of a campaign as it applied during (part of) the month; `from` is where it starts inside the month. */
export interface StatementPrice {
  model: PriceModel;
  /** EUR. */
  amount: number;
  from: string;
}

/** The counts of a statement line. */
export interface StatementCounts {
  served: number;
  impressions: number;
  viewable: number;
  clicks: number;
}

/**
 * One line: its counts, the prices in effect during the month (empty = no price) and the amount in
 * EUR rounded to the cent (null without a price).
 */
export interface StatementLine extends StatementCounts {
  campaignId: string;
  campaignName: string;
  prices: StatementPrice[];
  amount: number | null;
}

/** A site statement's line: one campaign in one zone of the site. */
export interface SiteStatementLine extends StatementLine {
  zoneId: string;
  zoneName: string;
  /** The campaign's price includes a flat fee, which is not split across sites and zones (not in `amount`). */
  flatFeeExcluded: boolean;
}

interface StatementBase<L> {
  /** YYYY-MM. */
  month: string;
  timeZone: string;
  /** The month's first instant and the next month's first instant (ISO, UTC). */
  from: string;
  to: string;
  /** The installation's name (settings), '' when none is set. */
  agency: string;
  lines: L[];
  total: StatementCounts & { amount: number };
  createdAt: string;
}

/** GET /api/customers/:id/statements/:month — what a customer's campaigns delivered in a month. */
export interface CustomerStatement extends StatementBase<StatementLine> {
  kind: 'customer';
  customer: { id: string; name: string };
}

/** GET /api/sites/:id/statements/:month — what was delivered on a publisher's site in a month. */
export interface SiteStatement extends StatementBase<SiteStatementLine> {
  kind: 'site';
  site: { id: string; name: string; domain: string };
  customer: { id: string; name: string };
}

export type Statement = CustomerStatement | SiteStatement;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether `month` is YYYY-MM with a real month. */
export const isMonth = (month: string): boolean => MONTH_RE.test(month);

/** The month before `month` (YYYY-MM). */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The month (YYYY-MM) an instant falls in, in a time zone (the operator's: statement months follow it). */
export function monthOf(at: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}`;
}
