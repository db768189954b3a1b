import type { Migration } from './index';

/**
 * A narrow daily rollup for reports that split and filter by nothing finer than the campaign:
 * one row per campaign and local day, where `stats_daily` keeps one per creative × zone × site ×
 * country besides (the bench: 4 per campaign and day; traffic from many countries: dozens).
 * Country stays out on purpose: with it, a year by customer still sorted four times the rows.
 * The campaign's customer is copied in (it never changes) so that the index below hands a year
 * across all campaigns over already ordered by day and customer: the report sums it as it reads,
 * without joining every row to `campaigns` and sorting them — the bulk of "a year daily by
 * customer". A customer's erasure blanks it (''), as the join found no campaign any more.
 * Kept in the same flush transaction as `stats_daily`, cut in the same days (`stats_daily_zone`)
 * and rebuilt with it; here it is filled from `stats_daily` as that stands.
 */
export const m019StatsCampaignDaily: Migration = {
  version: 19,
  name: 'stats-campaign-daily',
  up: `
CREATE TABLE stats_campaign_daily (
  campaign_id TEXT NOT NULL,
  day INTEGER NOT NULL,              -- local midnight of the operator time zone, unix seconds (as stats_daily)
  customer_id TEXT NOT NULL DEFAULT '', -- the campaign's customer; '' when there is no such campaign (any more)
  served INTEGER NOT NULL DEFAULT 0,
  impressions INTEGER NOT NULL DEFAULT 0,
  clicks INTEGER NOT NULL DEFAULT 0,
  viewable INTEGER NOT NULL DEFAULT 0,
  measurable INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, day)
) WITHOUT ROWID;
CREATE INDEX stats_campaign_daily_day_counts ON stats_campaign_daily(day, customer_id, campaign_id, served, impressions, clicks, viewable, measurable);
INSERT INTO stats_campaign_daily (campaign_id, day, customer_id, served, impressions, clicks, viewable, measurable)
  SELECT s.campaign_id, s.day, COALESCE(c.customer_id, ''), SUM(s.served), SUM(s.impressions), SUM(s.clicks), SUM(s.viewable), SUM(s.measurable)
  FROM stats_daily s LEFT JOIN campaigns c ON c.id = s.campaign_id GROUP BY s.campaign_id, s.day;
`,
};
