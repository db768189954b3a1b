import type { CustomerStatement, SiteStatement, SiteStatementLine, StatementCounts, StatementLine, StatementPrice } from '../../common/schemas/statement';
import { fromMicros } from '../../common/schemas/pricing';
import { nextDayStartMs } from '../../common/local-time';
import { daySpan, priceHistories, revenueSegments, type DaySpan, type PriceHistory } from '../stats/revenue';
import { revenueByCampaign } from '../stats/stats-query';
import type { StatsRepo } from '../stats/stats-repo';
import type { MonthRange } from './statement-month';
import type { StatementRepo } from './statement-repo';

const HOUR_S = 3_600;
const MICROS_PER_CENT = 10_000;

/** What a statement is computed from. */
export interface StatementSources {
  stats: StatsRepo;
  statements: StatementRepo;
  /** The installation's name. */
  agency: string;
  now: Date;
}

/**
 * Micro-euros → EUR rounded to the cent: amounts are rounded per line, and a statement's total is
 * the sum of its rounded lines (so the lines add up to the total on paper).
 */
const cents = (micros: number): number => Math.round(micros / MICROS_PER_CENT);

/** The prices of a history in effect during [fromMs, toMs), each with where it starts inside the range. */
export function pricesInRange(h: PriceHistory | undefined, fromMs: number, toMs: number): StatementPrice[] {
  if (!h) return [];
  const out: StatementPrice[] = [];
  for (let i = 0; i < h.prices.length; i++) {
    const p = h.prices[i]!;
    // The first price covers the flight from its start; a later one ends where the next one begins.
    const start = i === 0 ? -Infinity : p.effectiveHourMs;
    const end = i + 1 < h.prices.length ? h.prices[i + 1]!.effectiveHourMs : Infinity;
    if (end <= start || end <= fromMs || start >= toMs) continue;
    out.push({ model: p.model, amount: fromMicros(p.micros), from: new Date(Math.max(start, fromMs)).toISOString() });
  }
  return out;
}

const zero = (): StatementCounts & { amount: number } => ({ served: 0, impressions: 0, viewable: 0, clicks: 0, amount: 0 });

/** Adds lines' counts and rounded amounts (in cents) into a total. */
function totalOf(lines: readonly StatementLine[], lineCents: readonly number[]): StatementCounts & { amount: number } {
  const t = zero();
  let sum = 0;
  lines.forEach((l, i) => {
    t.served += l.served;
    t.impressions += l.impressions;
    t.viewable += l.viewable;
    t.clicks += l.clicks;
    sum += lineCents[i]!;
  });
  t.amount = sum / 100;
  return t;
}

/**
 * The hours (unix seconds) a statement covers: the month, or for the running month up to the end
 * of the current hour, so a flat fee's share of hours still to come is not billed yet.
 */
function hours(range: MonthRange, now: Date): { from: number; to: number } {
  const endOfHour = Math.ceil((now.getTime() + 1) / 1000 / HOUR_S) * HOUR_S;
  return { from: Math.floor(range.fromMs / 1000 / HOUR_S) * HOUR_S, to: Math.min(Math.ceil(range.toMs / 1000), endOfHour) };
}

/**
 * A customer's statement for a month: one line per campaign that delivered anything, earned a fee
 * or ran during the month, with the amount computed as the statistics' revenue is (server/stats/revenue.ts).
 */
export function customerStatement(src: StatementSources, customer: { id: string; name: string }, range: MonthRange): CustomerStatement {
  const { from, to } = hours(range, src.now);
  const scope = { kind: 'customer', id: customer.id } as const;
  const histories = priceHistories(src.stats.priceHistories(scope));
  const revenue = revenueByCampaign(src.stats, scope, from, to);
  const lines: StatementLine[] = [];
  const lineCents: number[] = [];
  for (const c of src.statements.customerCampaigns(customer.id, spanOf(src, from, to))) {
    const ran = Date.parse(c.startsAt) < range.toMs && Date.parse(c.endsAt) > range.fromMs;
    const micros = revenue.get(c.campaignId) ?? 0;
    if (!ran && c.served + c.impressions + c.viewable + c.clicks === 0 && micros === 0) continue;
    const priced = histories.has(c.campaignId);
    const lc = priced ? cents(micros) : 0;
    lineCents.push(lc);
    lines.push({
      campaignId: c.campaignId, campaignName: c.campaignName,
      served: c.served, impressions: c.impressions, viewable: c.viewable, clicks: c.clicks,
      prices: pricesInRange(histories.get(c.campaignId), range.fromMs, range.toMs),
      amount: priced ? lc / 100 : null,
    });
  }
  return { kind: 'customer', ...head(src, range), customer, lines, total: totalOf(lines, lineCents) };
}

/**
 * A site's statement for a month: one line per zone and campaign that delivered on the site, with
 * the advertiser's counted amounts (cpm, vcpm, cpc) for what was delivered there. A flat fee is paid
 * for a whole campaign, not per placement, so it is not split across sites; such lines say so.
 */
export function siteStatement(
  src: StatementSources,
  site: { id: string; name: string; domain: string; customerId: string; customerName: string },
  range: MonthRange,
): SiteStatement {
  const { from, to } = hours(range, src.now);
  const rows = src.statements.siteCounts(site.id, spanOf(src, from, to));
  const histories = priceHistories(src.stats.priceHistories({ kind: 'all' }));
  const micros = new Map<string, number>();
  const priced = new Map([...histories].filter(([id]) => rows.some((r) => r.campaignId === id)));
  if (priced.size > 0) {
    // Counted amounts only (a flat fee is not split by placement), summed in SQL per zone and campaign.
    const segments = revenueSegments(priced, from, to, src.stats.days, (d) => nextDayStartMs(d, src.stats.days.timeZone));
    for (const [k, milli] of src.stats.revenueBySiteZone(segments, site.id)) micros.set(k, milli / 1000);
  }
  const lineCents: number[] = [];
  const lines = rows.map((r): SiteStatementLine => {
    const prices = pricesInRange(histories.get(r.campaignId), range.fromMs, range.toMs);
    const priced = histories.has(r.campaignId);
    const lc = priced ? cents(micros.get(`${r.zoneId}\n${r.campaignId}`) ?? 0) : 0;
    lineCents.push(lc);
    return { ...r, prices, amount: priced ? lc / 100 : null, flatFeeExcluded: prices.some((p) => p.model === 'flat') };
  });
  return {
    kind: 'site', ...head(src, range),
    site: { id: site.id, name: site.name, domain: site.domain },
    customer: { id: site.customerId, name: site.customerName },
    lines, total: totalOf(lines, lineCents),
  };
}

const spanOf = (src: StatementSources, from: number, to: number): DaySpan =>
  daySpan(from, to, src.stats.days, (d) => nextDayStartMs(d, src.stats.days.timeZone));

function head(src: StatementSources, range: MonthRange) {
  return {
    month: range.month, timeZone: range.timeZone,
    from: new Date(range.fromMs).toISOString(), to: new Date(range.toMs).toISOString(),
    agency: src.agency, createdAt: src.now.toISOString(),
  };
}
