import { z } from 'zod';

/** Bucket sizes of the statistics API. */
export const STATS_GRANULARITIES = ['hour', 'day'] as const;
export type StatsGranularity = (typeof STATS_GRANULARITIES)[number];

/** Dimensions a campaign's statistics can be split by. */
export const STATS_DIMENSIONS = ['creative', 'zone', 'site', 'country'] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

/** Longest range per granularity, in days (keeps answers small: ≤ 744 hourly or 400 daily points per series). */
export const STATS_MAX_RANGE_DAYS: Readonly<Record<StatsGranularity, number>> = { hour: 31, day: 400 };

const DAY_MS = 86_400_000;

/** An ISO 8601 instant (`2024-05-01T00:00:00Z`, offsets allowed) or a UTC date (`2024-05-01`), as epoch ms. */
export const isoInstantSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: 'Use an ISO 8601 time like 2024-05-01T00:00:00Z or a date like 2024-05-01.' })
  .transform((s) => Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s));

const statsQueryFields = {
  campaignId: z.string().trim().min(1, 'campaignId is required.').max(100),
  from: isoInstantSchema,
  to: isoInstantSchema,
  granularity: z.enum(STATS_GRANULARITIES, { error: 'granularity must be hour or day.' }),
  by: z.enum(STATS_DIMENSIONS, { error: 'by must be creative, zone, site or country.' }).optional(),
};

/** `to` after `from`, and the range within the granularity's maximum. */
function checkSeriesRange(q: { from: number; to: number; granularity: StatsGranularity }, issue: z.RefinementCtx): void {
  if (q.to <= q.from) {
    issue.addIssue({ code: 'custom', path: ['to'], message: 'to must be later than from.' });
    return;
  }
  const maxDays = STATS_MAX_RANGE_DAYS[q.granularity];
  if (q.to - q.from > maxDays * DAY_MS) {
    issue.addIssue({ code: 'custom', path: ['to'], message: `The range may span at most ${maxDays} days for granularity ${q.granularity}.` });
  }
}

/** Query of `GET /api/stats`: one campaign, a time range [from, to), a bucket size and an optional split. */
export const statsQuerySchema = z.object(statsQueryFields).strict().superRefine(checkSeriesRange);
export type StatsQuery = z.output<typeof statsQuerySchema>;

/** Query of `GET /portal-api/stats`: as `GET /api/stats`, but without campaignId it covers all the customer's campaigns. */
export const portalStatsQuerySchema = z
  .object({ ...statsQueryFields, campaignId: statsQueryFields.campaignId.optional() })
  .strict()
  .superRefine(checkSeriesRange);
export type PortalStatsQuery = z.output<typeof portalStatsQuerySchema>;

/** Checks a totals range [from, to) when both ends are given: `to` after `from`, at most the daily maximum. */
function checkTotalsRange(q: { from?: number; to?: number }, issue: z.RefinementCtx): void {
  if (q.from === undefined || q.to === undefined) return;
  if (q.to <= q.from) issue.addIssue({ code: 'custom', path: ['to'], message: 'to must be later than from.' });
  else if (q.to - q.from > STATS_MAX_RANGE_DAYS.day * DAY_MS) {
    issue.addIssue({ code: 'custom', path: ['to'], message: `The range may span at most ${STATS_MAX_RANGE_DAYS.day} days.` });
  }
}

/** Query of `GET /api/stats/summary`: totals per campaign over [from, to); defaults to today (UTC) so far. */
export const statsSummaryQuerySchema = z
  .object({ from: isoInstantSchema.optional(), to: isoInstantSchema.optional() })
  .strict()
  .superRefine(checkTotalsRange);
export type StatsSummaryQuery = z.output<typeof statsSummaryQuerySchema>;

/** Query of `GET /api/customers/:id/totals`: the range [from, to), both required. */
export const customerTotalsQuerySchema = z.object({ from: isoInstantSchema, to: isoInstantSchema }).strict().superRefine(checkTotalsRange);

/** Answer of `GET /api/customers/:id/totals`: what the customer's campaigns did in [from, to). */
export interface CustomerTotals {
  customerId: string;
  from: string;
  to: string;
  served: number;
  impressions: number;
  clicks: number;
  viewable: number;
  measurable: number;
  /** EUR, from the counts and the prices in effect (see StatsPoint.revenue). */
  revenue: number;
}

/**
 * The measures of a point that add up across points and series (a bucket's total is their sum).
 * Tables, CSV and charts iterate this list, so a new measure is added here and in StatsPoint.
 */
export const STATS_SUMMABLE = ['served', 'impressions', 'clicks', 'viewable', 'measurable', 'revenue'] as const;
export type StatsSummable = (typeof STATS_SUMMABLE)[number];

/**
 * Counts of one bucket; `t` is the bucket's start (ISO, UTC). `viewable`: impressions that met the
 * MRC viewability rule; `measurable`: impressions of placements that could measure it.
 * `revenue`: EUR (to the micro-euro) at the price in effect during each hour: cpm per 1000
 * impressions, vcpm per 1000 viewable, cpc per click, a flat fee spread evenly over the flight's
 * hours — the flat share only in series that are not split by a dimension. `reach`:
 * distinct visitors estimated by the campaign's HyperLogLog sketch of that UTC day (±1.6 %; a
 * customer's point merges its campaigns' sketches); on a day without a sketch 0 while reach is
 * measured, null while it is off (`--reach` not given). The
 * sketch is per campaign and day, so hourly points and `by=` breakdowns carry null; reach does not
 * add up across days or campaigns and is not in STATS_SUMMABLE.
 */
export interface StatsPoint {
  t: string;
  served: number;
  impressions: number;
  clicks: number;
  viewable: number;
  measurable: number;
  revenue: number;
  reach: number | null;
}

/** One line of a chart: the campaign itself, or one creative, zone or site of it. */
export interface StatsSeries {
  key: string;
  points: StatsPoint[];
}

/** Answer of `GET /api/stats`. */
export interface StatsResponse {
  series: StatsSeries[];
}

/** Totals of one campaign in a summary. */
export interface CampaignTotals {
  campaignId: string;
  served: number;
  impressions: number;
  clicks: number;
  viewable: number;
  measurable: number;
  revenue: number;
  /**
   * The sum of the campaign's daily reach over the UTC days that start in the range: a visitor
   * seen on two days counts twice (the daily key makes days unlinkable, so no distinct total exists).
   */
  reachDailySum: number;
}

/** Answer of `GET /api/stats/summary`. */
export interface StatsSummary {
  from: string;
  to: string;
  campaigns: CampaignTotals[];
  total: { served: number; impressions: number; clicks: number; viewable: number; measurable: number; revenue: number; reachDailySum: number };
}
