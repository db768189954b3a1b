import type { Migration } from './index';

/**
 * The customer portal's accounts. E-mails are field-cipher ciphertext bound to their row, found by a
 * keyed hash (`email_hash`, purpose 'portal-email'; UNIQUE over portal users, so an address belongs
 * to one customer user). Invitations and sessions store only SHA-256 of their random tokens.
 * Portal users' TOTP uses the same module as staff (server/auth/two-factor.ts) over its own two
 * tables of the same shape as migration 005's. Everything hangs off the customer (ON DELETE
 * CASCADE), and customer erasure deletes it explicitly too (server/privacy/customer-erasure-repo.ts).
 */
export const m040Portal: Migration = {
  version: 40,
  name: 'portal',
  up: `
CREATE TABLE portal_users (
  id              TEXT PRIMARY KEY,
  customer_id     TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  email           TEXT NOT NULL,            -- ciphertext (portal_users/email/id)
  email_hash      TEXT NOT NULL UNIQUE,
  password_hash   TEXT NOT NULL,
  disabled        INTEGER NOT NULL DEFAULT 0,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  last_sign_in_at TEXT
);
CREATE INDEX portal_users_customer ON portal_users(customer_id);

CREATE TABLE portal_invitations (
  id          TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  email       TEXT NOT NULL,                -- ciphertext (portal_invitations/email/id)
  email_hash  TEXT NOT NULL,
  token_hash  TEXT NOT NULL UNIQUE,         -- SHA-256 of the link's token
  expires_at  TEXT NOT NULL,
  used_at     TEXT,
  revoked_at  TEXT,
  created_by  TEXT NOT NULL,                -- staff user id
  created_at  TEXT NOT NULL
);
CREATE INDEX portal_invitations_customer ON portal_invitations(customer_id);

CREATE TABLE portal_sessions (
  id_hash        TEXT PRIMARY KEY,          -- SHA-256 of the psid cookie
  portal_user_id TEXT NOT NULL REFERENCES portal_users(id) ON DELETE CASCADE,
  created_at     TEXT NOT NULL,
  last_seen_at   TEXT NOT NULL,
  expires_at     TEXT NOT NULL
);
CREATE INDEX portal_sessions_user ON portal_sessions(portal_user_id);

CREATE TABLE portal_user_totp (
  user_id      TEXT PRIMARY KEY REFERENCES portal_users(id) ON DELETE CASCADE,
  secret       TEXT NOT NULL,
  enabled      INTEGER NOT NULL DEFAULT 0,
  last_step    INTEGER,
  created_at   TEXT NOT NULL,
  confirmed_at TEXT
);
CREATE TABLE portal_totp_recovery_codes (
  user_id   TEXT NOT NULL REFERENCES portal_users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at   TEXT,
  PRIMARY KEY (user_id, code_hash)
);
`,
};
