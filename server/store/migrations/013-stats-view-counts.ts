import type { Migration } from './index';

/**
 * Viewability measures in the hourly rollups: `viewable` (decisions whose ad met the MRC rule,
 * counted once per decision by /v1/view/TOKEN) and `measurable` (impressions of a placement that
 * could measure it). Existing rows get zeros: nothing was measured before.
 */
export const m013StatsViewCounts: Migration = {
  version: 13,
  name: 'stats-view-counts',
  up: `
ALTER TABLE stats_hourly ADD COLUMN viewable INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_hourly ADD COLUMN measurable INTEGER NOT NULL DEFAULT 0;
`,
};
