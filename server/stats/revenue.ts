import { effectiveHourMs, MICROS_PER_EUR, priceAt, type PriceModel } from '../../common/schemas/pricing';
import type { PriceHistoryRow, RevenueCountRow } from './stats-repo';

const HOUR_S = 3_600;

interface PricePeriod {
  effectiveHourMs: number;
  model: PriceModel;
  micros: number;
}

/** A campaign's prices in the order they take effect, with its flight (for the flat fee). */
export interface PriceHistory {
  startsAtMs: number;
  endsAtMs: number;
  prices: PricePeriod[];
}

/** Groups price rows (ordered by campaign, effective time, id) into one history per campaign. */
export function priceHistories(rows: readonly PriceHistoryRow[]): Map<string, PriceHistory> {
  const out = new Map<string, PriceHistory>();
  for (const r of rows) {
    let h = out.get(r.campaignId);
    if (!h) out.set(r.campaignId, (h = { startsAtMs: Date.parse(r.startsAt), endsAtMs: Date.parse(r.endsAt), prices: [] }));
    h.prices.push({ effectiveHourMs: effectiveHourMs(r.effectiveFrom), model: r.model as PriceModel, micros: r.amountMicros });
  }
  return out;
}

/** Micro-euros earned by one hour's counts at a price; the flat fee is not per count (see flatRevenue). */
function countRevenue(p: PricePeriod, r: RevenueCountRow): number {
  switch (p.model) {
    case 'cpm':
      return (r.impressions * p.micros) / 1000;
    case 'vcpm':
      return (r.viewable * p.micros) / 1000;
    case 'cpc':
      return r.clicks * p.micros;
    case 'flat':
      return 0;
  }
}

/**
 * Revenue in micro-euros (unrounded), handed to `add` per campaign, key and hour (unix seconds):
 * counted revenue from each hourly row at the price in effect during its hour; with `flat`, also
 * each flat fee spread evenly over its flight (an hour earns fee × overlap / flight length) for
 * every hour of [from, to), under the key `flatKey`.
 */
export function forEachRevenue(
  histories: ReadonlyMap<string, PriceHistory>,
  rows: readonly RevenueCountRow[],
  range: { from: number; to: number; flatKey: ((campaignId: string) => string) | null },
  add: (campaignId: string, key: string, hour: number, micros: number) => void,
): void {
  for (const r of rows) {
    const h = histories.get(r.campaignId);
    const p = h && priceAt(h.prices, r.hour * 1000);
    if (p) add(r.campaignId, r.key, r.hour, countRevenue(p, r));
  }
  if (!range.flatKey) return;
  for (const [campaignId, h] of histories) {
    if (!h.prices.some((p) => p.model === 'flat')) continue;
    const length = h.endsAtMs - h.startsAtMs;
    if (!(length > 0)) continue;
    const first = Math.max(range.from, Math.floor(h.startsAtMs / 1000 / HOUR_S) * HOUR_S);
    const last = Math.min(range.to, Math.ceil(h.endsAtMs / 1000));
    for (let hour = first; hour < last; hour += HOUR_S) {
      const p = priceAt(h.prices, hour * 1000)!;
      if (p.model !== 'flat') continue;
      const overlap = Math.min(h.endsAtMs, (hour + HOUR_S) * 1000) - Math.max(h.startsAtMs, hour * 1000);
      if (overlap > 0) add(campaignId, range.flatKey(campaignId), hour, (p.micros * overlap) / length);
    }
  }
}

/** Micro-euros → EUR, rounded to whole micro-euros (sums of rounded points stay within a micro-euro per point). */
export const revenueEur = (micros: number): number => Math.round(micros) / MICROS_PER_EUR;
