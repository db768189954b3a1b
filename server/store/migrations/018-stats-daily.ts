import type { Migration } from './index';

/**
 * A daily rollup beside the hourly one, keyed by the operator-local day (the configured time
 * zone's midnight as unix seconds), so daily reports and statements read one row per day instead
 * of 24. It is kept in the flush transaction with the hourly rows; `stats_daily_zone` records which
 * zone its days were cut in, and the server rebuilds it from the hourly rows at start whenever the
 * configured zone differs (also right after this migration: no zone is recorded yet).
 */
export const m018StatsDaily: Migration = {
  version: 18,
  name: 'stats-daily',
  up: `
CREATE TABLE stats_daily (
  day INTEGER NOT NULL,              -- local midnight of the operator time zone, unix seconds
  campaign_id TEXT NOT NULL,
  creative_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  site_id TEXT NOT NULL,
  country TEXT NOT NULL DEFAULT '',
  served INTEGER NOT NULL DEFAULT 0,
  impressions INTEGER NOT NULL DEFAULT 0,
  clicks INTEGER NOT NULL DEFAULT 0,
  viewable INTEGER NOT NULL DEFAULT 0,
  measurable INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (campaign_id, day, creative_id, zone_id, site_id, country)
) WITHOUT ROWID;
CREATE INDEX stats_daily_day_counts ON stats_daily(day, served, impressions, clicks, viewable, measurable);
CREATE TABLE stats_daily_zone (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  time_zone TEXT NOT NULL            -- the IANA zone stats_daily's days were cut in
);
`,
};
