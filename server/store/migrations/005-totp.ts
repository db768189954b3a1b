import type { Migration } from './index';

/**
 * Staff two-factor sign-in (TOTP, RFC 6238). `secret` is the base32 secret encrypted with the field
 * cipher (bound to user_totp/secret/user id); `enabled` is 0 while an enrolment waits for its first
 * code. `last_step` is the last accepted time step: only a strictly later one is accepted again
 * (replay protection). Recovery codes are stored as SHA-256 of high-entropy codes, each used once.
 */
export const m005Totp: Migration = {
  version: 5,
  name: 'totp',
  up: `
CREATE TABLE user_totp (
  user_id      TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  secret       TEXT NOT NULL,
  enabled      INTEGER NOT NULL DEFAULT 0,
  last_step    INTEGER,
  created_at   TEXT NOT NULL,
  confirmed_at TEXT
);
CREATE TABLE totp_recovery_codes (
  user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at   TEXT,
  PRIMARY KEY (user_id, code_hash)
);
`,
};
