import { effectiveHourMs, MICROS_PER_EUR, priceAt, type PriceModel } from '../../common/schemas/pricing';
import type { PriceHistoryRow, RevenueCountRow } from './stats-repo';

const HOUR_S = 3_600;

/** One price of a history: from its effective hour (epoch ms) until the next one's. */
export interface PricePeriod {
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
  const flights = new Map(rows.map((r) => [r.campaignId, r]));
  return new Map(
    [...pricePeriods(rows)].map(([campaignId, prices]) => {
      const f = flights.get(campaignId)!;
      return [campaignId, { startsAtMs: Date.parse(f.startsAt), endsAtMs: Date.parse(f.endsAt), prices }];
    }),
  );
}

/** A counted price per impression, viewable impression and click in micro-euros × 1000 (integers: sums stay exact); all 0 for a flat fee. */
export interface MilliRates {
  perImpression: number;
  perViewable: number;
  perClick: number;
}

/** The counted rates of one price (see MilliRates). */
export function milliRates(p: PricePeriod): MilliRates {
  return {
    perImpression: p.model === 'cpm' ? p.micros : 0,
    perViewable: p.model === 'vcpm' ? p.micros : 0,
    perClick: p.model === 'cpc' ? p.micros * 1000 : 0,
  };
}

/** Price rows (ordered as they take effect) grouped into the periods of each campaign, without the flight. */
export function pricePeriods(rows: ReadonlyArray<Pick<PriceHistoryRow, 'campaignId' | 'effectiveFrom' | 'model' | 'amountMicros'>>): Map<string, PricePeriod[]> {
  const out = new Map<string, PricePeriod[]>();
  for (const r of rows) {
    let prices = out.get(r.campaignId);
    if (!prices) out.set(r.campaignId, (prices = []));
    prices.push({ effectiveHourMs: effectiveHourMs(r.effectiveFrom), model: r.model as PriceModel, micros: r.amountMicros });
  }
  return out;
}

/**
 * The stretches [from, to) (unix seconds; ±Infinity at the ends) in which each price of a history
 * is in force, as priceAt decides: the first from the beginning, each later one from its hour up
 * to the next one's. A flat fee's stretch counts nothing (rates 0).
 */
export function priceStretches(prices: readonly PricePeriod[]): Array<{ from: number; to: number; rates: MilliRates }> {
  const out: Array<{ from: number; to: number; rates: MilliRates }> = [];
  for (let i = 0; i < prices.length; i++) {
    const p = prices[i]!;
    const from = i === 0 ? -Infinity : p.effectiveHourMs / 1000;
    const to = i + 1 < prices.length ? prices[i + 1]!.effectiveHourMs / 1000 : Infinity;
    if (to > from) out.push({ from, to, rates: milliRates(p) });
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

/**
 * A stretch of one campaign's rollup rows under one counted price: rows of `table` with their
 * time (hour or local day start, unix seconds) in [from, to). `bucket` is the day the rows belong
 * to when hourly rows stand in for part of a day (null: the row's own time).
 */
export interface RevenueSegment {
  campaignId: string;
  table: 'hourly' | 'daily';
  from: number;
  to: number;
  bucket: number | null;
  /** Micro-euros per impression, viewable impression and click, × 1000 (integers: sums stay exact). */
  perImpression: number;
  perViewable: number;
  perClick: number;
}

/** The days (epoch ms of local midnight) that cut daily rows: the operator's DayClock, or a stand-in in tests. */
export interface DayCutter {
  dayOf(ms: number): number;
  readonly timeZone: string;
}

const ceilHour = (s: number): number => Math.ceil(s / HOUR_S) * HOUR_S;

/**
 * Splits [from, to) (unix seconds, whole hours) into segments of constant counted price per
 * campaign. With `days`, whole local days inside a price's stretch read the daily rollup (one
 * row per day instead of 24) and only the hours of a day on which the price changed, or of a day
 * cut by the range, read hourly rows; without, everything reads hourly rows. Flat fees are not
 * counted revenue (see forEachRevenue); their stretches are left out.
 */
export function revenueSegments(histories: ReadonlyMap<string, PriceHistory>, from: number, to: number, days: DayCutter | null, nextDayOf: (startMs: number) => number): RevenueSegment[] {
  const out: RevenueSegment[] = [];
  // Every campaign walks the same days: each day's end is asked of Intl once, not once per campaign.
  const ends = new Map<number, number>();
  const nextDay = (d: number): number => {
    let n = ends.get(d);
    if (n === undefined) ends.set(d, (n = nextDayOf(d)));
    return n;
  };
  for (const [campaignId, h] of histories) {
    for (const stretch of priceStretches(h.prices)) {
      const rate = stretch.rates;
      // A flat fee's stretch counts nothing (see forEachRevenue).
      if (rate.perImpression === 0 && rate.perViewable === 0 && rate.perClick === 0) continue;
      const a = Math.max(from, stretch.from);
      const b = Math.min(to, stretch.to);
      if (!(b > a)) continue;
      if (!days) {
        out.push({ campaignId, table: 'hourly', from: a, to: b, bucket: null, ...rate });
        continue;
      }
      // Walk the local days touching [a, b): whole ones batch into one daily stretch.
      let day = days.dayOf(a * 1000);
      let wholeFrom = -1;
      while (ceilHour(day / 1000) < b) {
        const next = nextDay(day);
        const dayFrom = ceilHour(day / 1000);
        const dayTo = ceilHour(next / 1000);
        if (dayFrom >= a && dayTo <= b) {
          if (wholeFrom < 0) wholeFrom = day / 1000;
        } else {
          if (wholeFrom >= 0) out.push({ campaignId, table: 'daily', from: wholeFrom, to: day / 1000, bucket: null, ...rate });
          wholeFrom = -1;
          const lo = Math.max(a, dayFrom);
          const hi = Math.min(b, dayTo);
          if (hi > lo) out.push({ campaignId, table: 'hourly', from: lo, to: hi, bucket: day / 1000, ...rate });
        }
        day = next;
      }
      if (wholeFrom >= 0) out.push({ campaignId, table: 'daily', from: wholeFrom, to: day / 1000, bucket: null, ...rate });
    }
  }
  return out;
}

/** An hour range [from, to) (unix seconds) as whole local days (daily rows) and the hours before and after them (hourly rows). */
export interface DaySpan {
  days: [number, number];
  hoursBefore: [number, number];
  hoursAfter: [number, number];
}

/** Splits [from, to) into whole local days and the cut hours around them (an hour belongs to the day its start falls in). */
export function daySpan(from: number, to: number, days: DayCutter, nextDay: (startMs: number) => number): DaySpan {
  let first = days.dayOf(from * 1000);
  if (ceilHour(first / 1000) < from) first = nextDay(first);
  let end = first;
  while (ceilHour(nextDay(end) / 1000) <= to) end = nextDay(end);
  if (end === first) return { days: [0, 0], hoursBefore: [from, to], hoursAfter: [0, 0] };
  return { days: [first / 1000, end / 1000], hoursBefore: [from, ceilHour(first / 1000)], hoursAfter: [ceilHour(end / 1000), to] };
}
