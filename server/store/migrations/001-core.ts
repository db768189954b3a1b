import type { Migration } from './index';

/** Staff accounts, sessions, customers, sites, zones, campaigns, creatives, assets. */
export const m001Core: Migration = {
  version: 1,
  name: 'core',
  up: `
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL,               -- JSON array of role names
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,          -- SHA-256 of the cookie's random id; the id itself is never stored
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT,
  address TEXT,
  contact_person TEXT,
  kind TEXT NOT NULL DEFAULT 'advertiser',   -- advertiser | publisher | both
  status TEXT NOT NULL DEFAULT 'active',     -- active | restricted
  restricted_at TEXT,
  notes TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE sites (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  name TEXT NOT NULL,
  domain TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'site',         -- site | app
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX sites_customer ON sites(customer_id);

CREATE TABLE zones (
  id TEXT PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id),
  name TEXT NOT NULL,
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX zones_site ON zones(site_id);

CREATE TABLE campaigns (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',     -- draft | active | paused | archived
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  impression_goal INTEGER,                   -- total over the flight, paced evenly; NULL = none
  daily_cap INTEGER,                         -- impressions per UTC day; NULL = none
  priority INTEGER NOT NULL DEFAULT 5,
  weight INTEGER NOT NULL DEFAULT 1,
  targeting TEXT NOT NULL DEFAULT '{}',      -- JSON, see common/schemas
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX campaigns_customer ON campaigns(customer_id);

CREATE TABLE campaign_zones (
  campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  zone_id TEXT NOT NULL REFERENCES zones(id),
  PRIMARY KEY (campaign_id, zone_id)
);
CREATE INDEX campaign_zones_zone ON campaign_zones(zone_id);

CREATE TABLE assets (
  id TEXT PRIMARY KEY,
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  width INTEGER,
  height INTEGER,
  bytes BLOB NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE creatives (
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaigns(id),
  name TEXT NOT NULL DEFAULT '',
  width INTEGER NOT NULL,
  height INTEGER NOT NULL,
  image_url TEXT,
  asset_id TEXT REFERENCES assets(id),
  html TEXT,
  landing_url TEXT NOT NULL,
  alt TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active',     -- active | paused
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX creatives_campaign ON creatives(campaign_id);
`,
};
