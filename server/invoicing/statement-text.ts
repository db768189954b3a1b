import type { Statement, StatementLang, StatementPrice } from '../../common/schemas/statement';

/** The words of a statement's CSV and PDF in each language (the console has its own in renderer/src/i18n). */
export const STATEMENT_TEXT = {
  de: {
    customerTitle: 'Monatsaufstellung (Abrechnungsgrundlage)', siteTitle: 'Monatsaufstellung Website (Abrechnungsgrundlage)',
    customer: 'Kunde', site: 'Website/App', publisher: 'Publisher', month: 'Monat', period: 'Zeitraum',
    campaign: 'Kampagne', campaignId: 'Kampagnen-ID', zone: 'Werbefläche', zoneId: 'Werbeflächen-ID',
    served: 'Ausgeliefert', impressions: 'Einblendungen', viewable: 'Sichtbar', clicks: 'Klicks', price: 'Preis', amount: 'Betrag (EUR)',
    total: 'Summe', noPrice: 'kein Preis', from: 'ab', flatExcluded: 'Pauschale nicht je Website aufgeteilt',
    rounding: 'Beträge je Kampagnenzeile auf den Cent gerundet; die Summe ist die Summe der gerundeten Zeilen.',
    siteNote: 'Beträge: Werbekundenpreise (TKP, vTKP, CPC) für das auf dieser Website Ausgelieferte; Pauschalen gelten je Kampagne und sind hier nicht enthalten.',
    createdAt: 'Erstellt am', empty: 'In diesem Monat wurde nichts ausgeliefert.', page: 'Seite',
  },
  en: {
    customerTitle: 'Monthly statement (invoicing basis)', siteTitle: 'Monthly site statement (invoicing basis)',
    customer: 'Customer', site: 'Site/app', publisher: 'Publisher', month: 'Month', period: 'Period',
    campaign: 'Campaign', campaignId: 'Campaign id', zone: 'Zone', zoneId: 'Zone id',
    served: 'Served', impressions: 'Impressions', viewable: 'Viewable', clicks: 'Clicks', price: 'Price', amount: 'Amount (EUR)',
    total: 'Total', noPrice: 'no price', from: 'from', flatExcluded: 'flat fee not split per site',
    rounding: 'Amounts rounded to the cent per campaign line; the total is the sum of the rounded lines.',
    siteNote: 'Amounts: the advertisers’ prices (CPM, vCPM, CPC) for what was delivered on this site; flat fees are per campaign and not included here.',
    createdAt: 'Created', empty: 'Nothing was delivered this month.', page: 'Page',
  },
} as const satisfies Record<StatementLang, Record<string, string>>;

const LOCALE: Record<StatementLang, string> = { de: 'de-DE', en: 'en-GB' };
const MODEL_NAME: Record<StatementLang, Record<StatementPrice['model'], string>> = {
  de: { cpm: 'TKP', vcpm: 'vTKP', cpc: 'CPC', flat: 'Pauschale' },
  en: { cpm: 'CPM', vcpm: 'vCPM', cpc: 'CPC', flat: 'flat fee' },
};

/** "1.234,56 €" / "€1,234.56". */
export const formatEur = (amount: number, lang: StatementLang): string =>
  new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency: 'EUR' }).format(amount).replace(/\u00a0/g, ' ');

/** Counts with grouping: "12.345" / "12,345". */
export const formatCount = (n: number, lang: StatementLang): string => new Intl.NumberFormat(LOCALE[lang]).format(n);

/** "Juni 2025" / "June 2025" (the month's name in the statement's time zone). */
export function formatMonth(s: Statement, lang: StatementLang): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { month: 'long', year: 'numeric', timeZone: s.timeZone }).format(Date.parse(s.from));
}

/** A date and time in the statement's time zone: "02.06.2025, 13:00". */
export function formatTime(iso: string, s: Statement, lang: StatementLang): string {
  return new Intl.DateTimeFormat(LOCALE[lang], { dateStyle: 'short', timeStyle: 'short', timeZone: s.timeZone }).format(Date.parse(iso));
}

/** The prices in effect, e.g. "TKP 2,00 €; TKP 5,00 € ab 02.06.25, 13:00", or "kein Preis". */
export function formatPrices(prices: readonly StatementPrice[], s: Statement, lang: StatementLang): string {
  if (prices.length === 0) return STATEMENT_TEXT[lang].noPrice;
  return prices
    .map((p) => {
      const text = `${MODEL_NAME[lang][p.model]} ${formatEur(p.amount, lang)}`;
      return p.from > s.from ? `${text} ${STATEMENT_TEXT[lang].from} ${formatTime(p.from, s, lang)}` : text;
    })
    .join('; ');
}
