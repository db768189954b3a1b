import type { Migration } from './index';

/**
 * Encryption at rest for staff e-mails, as 030 did for customers: `email` holds the AES-256-GCM
 * ciphertext (bound to users/email/row id) once `pii_version` is 1, and `email_hash`, the keyed hash
 * of the normalised address, serves sign-in lookups and keeps addresses unique. Migrations are SQL
 * and run before the data key is loaded, so rows written before are encrypted with the key at the
 * next start (UserRepo.encryptLegacyRows, called by the auth feature). NULL hashes (those rows,
 * until then) do not collide in the unique index; the old UNIQUE on `email` keeps them unique.
 */
export const m033StaffEmail: Migration = {
  version: 33,
  name: 'staff-email',
  up: `
ALTER TABLE users ADD COLUMN email_hash TEXT;
ALTER TABLE users ADD COLUMN pii_version INTEGER NOT NULL DEFAULT 0;   -- 0 plain text (before 033), 1 encrypted
CREATE UNIQUE INDEX users_email_hash ON users(email_hash);
`,
};
