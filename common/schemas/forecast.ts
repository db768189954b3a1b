import { z } from 'zod';
import { idSchema } from './ids';
import { goalSchema, type GoalKind } from './pricing';
import { keyed } from './checks';

/** The longest range a forecast answers: beyond a year, four weeks of history say little. */
export const FORECAST_MAX_DAYS = 400;
/** Weeks of history a forecast reads, and each week's weight (the most recent week first). */
export const FORECAST_WEEK_WEIGHTS = [4, 3, 2, 1] as const;

const isoTime = z.iso.datetime({ offset: true, message: 'Enter a time like 2025-01-31T00:00:00Z.' }).transform((v) => new Date(v).toISOString());

/** POST /api/forecast: what these zones are expected to have in this range, and what a goal would take of it. */
export const forecastRequestSchema = z
  .strictObject({
    zoneIds: z
      .array(idSchema('zone'))
      .min(1, 'Choose at least one zone.')
      .max(500, 'A forecast covers at most 500 zones.')
      .transform((ids) => [...new Set(ids)]),
    startsAt: isoTime,
    endsAt: isoTime,
    goal: goalSchema.optional(),
    /** The campaign being edited: its own booking is not subtracted, and what it already delivered counts towards its goal. */
    excludeCampaignId: idSchema('campaign').optional(),
  })
  .refine((r) => r.endsAt > r.startsAt, { ...keyed('endsAfterStart', 'endsAt must be after startsAt.'), path: ['endsAt'] })
  .refine((r) => Date.parse(r.endsAt) - Date.parse(r.startsAt) <= FORECAST_MAX_DAYS * 86_400_000, {
    ...keyed('rangeTooLong', `A forecast covers at most ${FORECAST_MAX_DAYS} days.`, { maxDays: FORECAST_MAX_DAYS }),
    path: ['endsAt'],
  });
export type ForecastRequest = z.infer<typeof forecastRequestSchema>;

/** One zone's part of a forecast, in the answer's kind. */
export interface ZoneForecast {
  zoneId: string;
  expected: number;
  booked: number;
  /** False when the zone served nothing in the weeks of history read: its expectation is 0 because nothing is known. */
  hasHistory: boolean;
}

/** An overlapping campaign with a goal, and how much of the range and zones its remaining goal takes. */
export interface ForecastBooking {
  campaignId: string;
  name: string;
  goalKind: GoalKind;
  /** Its goal minus what it delivered, in its own kind. */
  remaining: number;
  /** The part falling in the range and zones, in the answer's kind. */
  booked: number;
}

/** The answer of POST /api/forecast; counts are in `kind` (the goal's, impressions without a goal), rounded to whole numbers. */
export interface Forecast {
  kind: GoalKind;
  /** The range forecast: the asked range from now on (past hours are history, not forecast). */
  from: string;
  to: string;
  /** The time zone whose weekday and hour match history to the range. */
  timeZone: string;
  expected: number;
  booked: number;
  free: number;
  /** The goal's count still to deliver; null without a goal. */
  needed: number | null;
  /** needed ÷ free (1 = 100 %); null without a goal or when nothing is free. */
  share: number | null;
  /** The goal needs more than is free (or nothing is free). */
  overbooked: boolean;
  /** Zones without any history in the weeks read. */
  zonesWithoutHistory: string[];
  perZone: ZoneForecast[];
  bookings: ForecastBooking[];
}
