import type { Migration } from './index';

/**
 * Goals of three kinds and two pacings, and campaign prices with their history.
 * `impression_goal` keeps its name but now holds the goal's count of whatever `goal_kind` says
 * (existing goals are impression goals, which is the default kind). Prices are integer
 * micro-euros (1 EUR = 1 000 000), so sums never drift; a row applies from `effective_from` until
 * the next row of the same campaign (rows are never updated: the table is the history).
 */
export const m014GoalsPricing: Migration = {
  version: 14,
  name: 'goals-pricing',
  up: `
ALTER TABLE campaigns ADD COLUMN goal_kind TEXT NOT NULL DEFAULT 'impressions';
ALTER TABLE campaigns ADD COLUMN pacing TEXT NOT NULL DEFAULT 'even';
CREATE TABLE campaign_prices (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  effective_from TEXT NOT NULL,
  model TEXT NOT NULL,
  amount_micros INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX campaign_prices_campaign ON campaign_prices(campaign_id, effective_from, id);
`,
};
