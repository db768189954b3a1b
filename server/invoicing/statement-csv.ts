import type { Statement, StatementLang } from '../../common/schemas/statement';
import { formatPrices, STATEMENT_TEXT } from './statement-text';

/** One RFC 4180 cell; a cell a spreadsheet would run as a formula is prefixed with a quote. */
function cell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A statement as CSV (UTF-8, comma-separated, CRLF): a header row in the chosen language, one row
 * per line, then the total. Amounts are plain numbers in EUR with a decimal point and two places
 * (empty without a price), so spreadsheets and accounting imports read them alike.
 */
export function statementCsv(s: Statement, lang: StatementLang): string {
  const t = STATEMENT_TEXT[lang];
  const site = s.kind === 'site';
  const head: string[] = [...(site ? [t.zone, t.zoneId] : []), t.campaign, t.campaignId, t.served, t.impressions, t.viewable, t.clicks, t.price, t.amount];
  const rows = [head];
  for (const l of s.lines) {
    let price = formatPrices(l.prices, s, lang);
    if ('flatFeeExcluded' in l && l.flatFeeExcluded) price += ` (${t.flatExcluded})`;
    rows.push([
      ...(site && 'zoneId' in l ? [l.zoneName, l.zoneId] : []),
      l.campaignName, l.campaignId, String(l.served), String(l.impressions), String(l.viewable), String(l.clicks), price,
      l.amount === null ? '' : l.amount.toFixed(2),
    ]);
  }
  const tot = s.total;
  rows.push([...(site ? ['', ''] : []), t.total, '', String(tot.served), String(tot.impressions), String(tot.viewable), String(tot.clicks), '', tot.amount.toFixed(2)]);
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
