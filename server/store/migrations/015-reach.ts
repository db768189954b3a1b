import type { Migration } from './index';

/**
 * Cookieless reach and per-visitor caps. `stats_reach_daily` holds one HyperLogLog sketch per
 * campaign and UTC day: only its registers (server/stats/hyperloglog.ts serialisation), never a
 * visitor hash, which is keyed with a daily random key held in memory only. `visitor_daily_cap`:
 * at most N served decisions per visitor and day; null = no cap.
 */
export const m015Reach: Migration = {
  version: 15,
  name: 'reach',
  up: `
CREATE TABLE stats_reach_daily (
  campaign_id TEXT NOT NULL,
  day INTEGER NOT NULL,              -- start of the UTC day, unix seconds
  registers BLOB NOT NULL,
  PRIMARY KEY (campaign_id, day)
) WITHOUT ROWID;
ALTER TABLE campaigns ADD COLUMN visitor_daily_cap INTEGER;
`,
};
