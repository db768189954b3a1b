import type { Migration } from './index';

/**
 * Archiving sites, zones and creatives: `archived_at` set means delivery leaves the thing out and
 * lists hide it unless asked; NULL is the normal state, so every existing row stays as it was.
 * Campaigns already have the status 'archived'. Sites get free-text notes for staff. A zone's size
 * is fixed once it served: the zone index answers "did this zone serve" without scanning the rollups.
 */
export const m017CatalogLifecycle: Migration = {
  version: 17,
  name: 'catalog-lifecycle',
  up: `
ALTER TABLE sites ADD COLUMN archived_at TEXT;
ALTER TABLE sites ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE zones ADD COLUMN archived_at TEXT;
ALTER TABLE creatives ADD COLUMN archived_at TEXT;
CREATE INDEX stats_hourly_zone ON stats_hourly(zone_id);
`,
};
