import type { Migration } from './index';

/**
 * Reports across all campaigns read a time range of the hourly rollups. The rollup's key starts
 * with the campaign, so such a range went through the hour index and then fetched every row by
 * its key; an index on hour that carries the counts answers it from the index alone (SQLite adds
 * the key columns, so every dimension is in it). It replaces the plain hour index it covers.
 */
export const m016StatsReportIndex: Migration = {
  version: 16,
  name: 'stats-report-index',
  up: `
CREATE INDEX stats_hourly_hour_counts ON stats_hourly(hour, served, impressions, clicks, viewable, measurable);
DROP INDEX IF EXISTS stats_hourly_hour;
`,
};
