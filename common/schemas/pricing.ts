import { z } from 'zod';

/** What a campaign's goal counts: served decisions (as caps do), viewable impressions or clicks. */
export const GOAL_KINDS = ['impressions', 'viewable', 'clicks'] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];

/** `even`: allowed(t) = goal × elapsed/duration + slack; `asap`: as fast as eligible until the goal is met. */
export const PACINGS = ['even', 'asap'] as const;
export type Pacing = (typeof PACINGS)[number];

/** cpm: per 1000 impressions; vcpm: per 1000 viewable impressions; cpc: per click; flat: one fee for the whole flight. */
export const PRICE_MODELS = ['cpm', 'vcpm', 'cpc', 'flat'] as const;
export type PriceModel = (typeof PRICE_MODELS)[number];

/** Amounts are stored in integer micro-euros: EUR × 1 000 000, rounded to the nearest. */
export const MICROS_PER_EUR = 1_000_000;

export const goalSchema = z
  .strictObject({
    kind: z.enum(GOAL_KINDS, { error: 'The goal kind is impressions, viewable or clicks.' }),
    count: z.number({ error: 'Enter the goal as a whole number.' }).int('Use a whole number.').min(1, 'A goal is at least 1.').max(1e12, 'A goal is at most 10^12.'),
  })
  .nullable();
export type Goal = z.infer<typeof goalSchema>;

export const pacingSchema = z.enum(PACINGS, { error: 'Pacing is even or asap.' });

/** EUR, at most 10 million; kept to whole micro-euros. */
export const priceAmountSchema = z
  .number({ error: 'Enter the price in EUR as a number.' })
  .min(0, 'A price cannot be negative.')
  .max(10_000_000, 'A price is at most 10 000 000 EUR.');

/** A price as set on a campaign (without its time). */
export const priceSchema = z.strictObject({
  model: z.enum(PRICE_MODELS, { error: 'The price model is cpm, vcpm, cpc or flat.' }),
  amount: priceAmountSchema,
});
export type PriceInput = z.infer<typeof priceSchema>;

/** POST /api/campaigns/:id/prices: a price change from `effectiveFrom` (default now). */
export const priceChangeSchema = z.strictObject({
  model: priceSchema.shape.model,
  amount: priceAmountSchema,
  effectiveFrom: z.iso
    .datetime({ offset: true, message: 'Enter a time like 2025-01-31T00:00:00Z.' })
    .transform((v) => new Date(v).toISOString())
    .optional(),
});
export type PriceChange = z.infer<typeof priceChangeSchema>;

/** One entry of a campaign's price history. `amount` in EUR. */
export interface CampaignPrice {
  id: number;
  model: PriceModel;
  amount: number;
  /** From the start of the first full hour at or after this time (the first price covers the whole flight). */
  effectiveFrom: string;
  createdBy: string;
  createdAt: string;
}

/** EUR → whole micro-euros. */
export const toMicros = (eur: number): number => Math.round(eur * MICROS_PER_EUR);
/** Micro-euros → EUR. */
export const fromMicros = (micros: number): number => micros / MICROS_PER_EUR;

const HOUR_MS = 3_600_000;

/** The hour (epoch ms) from which a price applies: `effectiveFrom` rounded up to a full hour, so an hour never has two prices. */
export const effectiveHourMs = (effectiveFrom: string): number => Math.ceil(Date.parse(effectiveFrom) / HOUR_MS) * HOUR_MS;

/**
 * The entry of a history (ordered by effective hour, then creation) in effect during the hour
 * starting at `hourMs`: the last one whose effective hour has begun; before the first change the
 * first price applies (it covers the flight from its start). Null for an empty history.
 */
export function priceAt<P extends { effectiveHourMs: number }>(history: readonly P[], hourMs: number): P | null {
  if (history.length === 0) return null;
  let found = history[0]!;
  for (let i = 1; i < history.length && history[i]!.effectiveHourMs <= hourMs; i++) found = history[i]!;
  return found;
}
