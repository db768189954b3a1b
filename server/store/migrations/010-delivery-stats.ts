import type { Migration } from './index';

/**
 * Hourly statistics rollups (no IP, no user agent: only when which ad ran where) and the set of
 * decisions whose impression or click was already counted, so a restart does not count twice.
 */
export const m010DeliveryStats: Migration = {
  version: 10,
  name: 'delivery-stats',
  up: `
CREATE TABLE stats_hourly (
  hour INTEGER NOT NULL,             -- start of the UTC hour, unix seconds
  campaign_id TEXT NOT NULL,
  creative_id TEXT NOT NULL,
  zone_id TEXT NOT NULL,
  site_id TEXT NOT NULL,
  served INTEGER NOT NULL DEFAULT 0,       -- decisions answered with this creative
  impressions INTEGER NOT NULL DEFAULT 0,  -- impression pixels counted (once per decision)
  clicks INTEGER NOT NULL DEFAULT 0,       -- clicks counted (once per decision)
  PRIMARY KEY (campaign_id, hour, creative_id, zone_id, site_id)
) WITHOUT ROWID;
CREATE INDEX stats_hourly_hour ON stats_hourly(hour);

CREATE TABLE delivery_seen_decisions (
  kind INTEGER NOT NULL,             -- 0 impression, 1 click
  decision_id TEXT NOT NULL,         -- random 16 bytes, base64url; links to nobody
  issued_hour INTEGER NOT NULL,      -- hour the token was issued (unix seconds / 3600), for expiry
  PRIMARY KEY (kind, decision_id)
) WITHOUT ROWID;
CREATE INDEX delivery_seen_decisions_expiry ON delivery_seen_decisions(kind, issued_hour);
`,
};
