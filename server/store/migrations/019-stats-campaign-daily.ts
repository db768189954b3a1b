import type { Migration } from './index';

/**
 * A narrow daily rollup for reports that split and filter by nothing finer than the campaign
 * (customer joins through it): one row per campaign and local day. `stats_daily` keeps a row per
 * creative × zone × site × country besides, so a year of daily reports across all campaigns
 * read and grouped several rows per campaign and day (the bench: 4, real traffic from many
 * countries: dozens). Country stays out on purpose: with it, a year by customer still sorted
 * four times the rows and stayed far above 100 ms; country reports keep reading `stats_daily`.
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
  served INTEGER NOT NULL DEFAULT 0,
  impressions INTEGER NOT NULL DEFAULT 0,
  clicks INTEGER NOT NULL DEFAULT 0,
  viewable INTEGER NOT NULL DEFAULT 0,
  measurable INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, day)
) WITHOUT ROWID;
CREATE INDEX stats_campaign_daily_day_counts ON stats_campaign_daily(day, campaign_id, served, impressions, clicks, viewable, measurable);
INSERT INTO stats_campaign_daily (campaign_id, day, served, impressions, clicks, viewable, measurable)
  SELECT campaign_id, day, SUM(served), SUM(impressions), SUM(clicks), SUM(viewable), SUM(measurable)
  FROM stats_daily GROUP BY campaign_id, day;
`,
};
