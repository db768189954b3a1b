import { z } from 'zod';
import { keyed } from './checks';

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
    issue.addIssue({ code: 'custom', path: ['to'], ...keyed('toAfterFrom', 'to must be later than from.') });
    return;
  }
  const maxDays = STATS_MAX_RANGE_DAYS[q.granularity];
  if (q.to - q.from > maxDays * DAY_MS) {
    issue.addIssue({ code: 'custom', path: ['to'], ...keyed('rangeTooLong', `The range may span at most ${maxDays} days for granularity ${q.granularity}.`, { maxDays }) });
  }
}

/** Query of `GET /api/stats`: one campaign, a time range [from, to), a bucket size and an optional split. */
export const statsQuerySchema = z.object(statsQueryFields).strict().superRefine(checkSeriesRange);
export type StatsQuery = z.output<typeof statsQuerySchema>;

/** Dimensions a report (`GET /api/stats` across campaigns) can filter by and break down by. */
export const REPORT_DIMENSIONS = ['customer', 'campaign', 'creative', 'site', 'zone', 'country'] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

/** The query parameter that filters each dimension. */
export const REPORT_FILTER_PARAMS: Readonly<Record<ReportDimension, 'customerId' | 'campaignId' | 'creativeId' | 'siteId' | 'zoneId' | 'country'>> = {
  customer: 'customerId', campaign: 'campaignId', creative: 'creativeId', site: 'siteId', zone: 'zoneId', country: 'country',
};

/** Most values one filter may list, and most dimensions one report may break down by (keeps statements few and answers small). */
export const REPORT_MAX_FILTER_VALUES = 50;
export const REPORT_MAX_DIMENSIONS = 3;

/** Separates the parts of a series key split by several dimensions (`by=customer,zone` → `cu_1|zo_2`); ids never contain it. */
export const REPORT_KEY_SEPARATOR = '|';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

/** A comma list of ids (`a,b`), each letters, digits, _ or -; duplicates dropped. */
const idList = (param: string) =>
  z
    .string()
    .transform((s) => [...new Set(s.split(',').map((x) => x.trim()).filter((x) => x !== ''))])
    .refine((ids) => ids.length > 0, keyed('listSize', `${param} needs at least one id.`, { max: REPORT_MAX_FILTER_VALUES }))
    .refine((ids) => ids.length <= REPORT_MAX_FILTER_VALUES, keyed('listSize', `${param} may list at most ${REPORT_MAX_FILTER_VALUES} ids.`, { max: REPORT_MAX_FILTER_VALUES }))
    .refine((ids) => ids.every((id) => ID_PATTERN.test(id)), keyed('idList', `${param} must be ids (letters, digits, _ or -) separated by commas.`));

/** A comma list of ISO 3166-1 alpha-2 codes; `unknown` stands for the empty code (country not known). */
const countryList = z
  .string()
  .transform((s) => [...new Set(s.split(',').map((x) => x.trim()).filter((x) => x !== '').map((x) => (x.toLowerCase() === 'unknown' ? '' : x.toUpperCase())))])
  .refine((cs) => cs.length > 0 && cs.length <= REPORT_MAX_FILTER_VALUES, keyed('listSize', `country must list 1 to ${REPORT_MAX_FILTER_VALUES} codes.`, { max: REPORT_MAX_FILTER_VALUES }))
  .refine((cs) => cs.every((c) => c === '' || /^[A-Z]{2}$/.test(c)), keyed('countryList', 'country must be two-letter codes (like DE,AT) or unknown, separated by commas.'));

const byList = z
  .string()
  .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''))
  .refine((ds) => ds.every((d) => (REPORT_DIMENSIONS as readonly string[]).includes(d)), keyed('dimensions', `by must name dimensions among ${REPORT_DIMENSIONS.join(', ')}, separated by commas.`, { max: REPORT_MAX_DIMENSIONS }))
  .refine((ds) => new Set(ds).size === ds.length, keyed('dimensionTwice', 'by names a dimension twice.'))
  .refine((ds) => ds.length >= 1 && ds.length <= REPORT_MAX_DIMENSIONS, keyed('dimensions', `by names 1 to ${REPORT_MAX_DIMENSIONS} dimensions.`, { max: REPORT_MAX_DIMENSIONS }))
  .transform((ds) => ds as ReportDimension[]);

/**
 * Query of `GET /api/stats`: a range [from, to), a bucket size, optional filters (each a comma
 * list; a row matches when it matches every filter given) and an optional breakdown by one or
 * more dimensions. Without campaignId it covers all campaigns; `campaignId=ID` alone answers as
 * it always did (one series keyed by the campaign).
 */
export const reportQuerySchema = z
  .object({
    from: isoInstantSchema,
    to: isoInstantSchema,
    granularity: statsQueryFields.granularity,
    customerId: idList('customerId').optional(),
    campaignId: idList('campaignId').optional(),
    creativeId: idList('creativeId').optional(),
    siteId: idList('siteId').optional(),
    zoneId: idList('zoneId').optional(),
    country: countryList.optional(),
    by: byList.optional(),
  })
  .strict()
  .superRefine(checkSeriesRange);
export type ReportQuery = z.output<typeof reportQuerySchema>;

/** The filters of a report, by dimension (what the portal forces and the store binds). */
export type ReportFilters = Partial<Record<ReportDimension, readonly string[]>>;

/** Query of `GET /portal-api/stats`: as `GET /api/stats`, but without campaignId it covers all the customer's campaigns. */
export const portalStatsQuerySchema = z
  .object({ ...statsQueryFields, campaignId: statsQueryFields.campaignId.optional() })
  .strict()
  .superRefine(checkSeriesRange);
export type PortalStatsQuery = z.output<typeof portalStatsQuerySchema>;

/** Checks a totals range [from, to) when both ends are given: `to` after `from`, at most the daily maximum. */
function checkTotalsRange(q: { from?: number; to?: number }, issue: z.RefinementCtx): void {
  if (q.from === undefined || q.to === undefined) return;
  if (q.to <= q.from) issue.addIssue({ code: 'custom', path: ['to'], ...keyed('toAfterFrom', 'to must be later than from.') });
  else if (q.to - q.from > STATS_MAX_RANGE_DAYS.day * DAY_MS) {
    issue.addIssue({ code: 'custom', path: ['to'], ...keyed('rangeTooLong', `The range may span at most ${STATS_MAX_RANGE_DAYS.day} days.`, { maxDays: STATS_MAX_RANGE_DAYS.day }) });
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
  /** Reports: the key's part per dimension of `by`, in its order (a country '' is unknown). */
  parts?: string[];
  /** Reports: the summable measures over all points (EUR revenue rounded to the micro-euro). */
  totals?: Record<StatsSummable, number>;
}

/** Answer of `GET /api/stats`; reports (the across-campaign form) also carry `by` and the grand `totals`. */
export interface StatsResponse {
  series: StatsSeries[];
  by?: ReportDimension[];
  totals?: Record<StatsSummable, number>;
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
