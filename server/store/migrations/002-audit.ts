import type { Migration } from './index';

/** The append-only, hash-chained audit log; triggers refuse updates and deletes. */
export const m002Audit: Migration = {
  version: 2,
  name: 'audit',
  up: `
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,          -- user id, 'system' or 'cli'
  action TEXT NOT NULL,         -- e.g. session.login, customer.update, case.approve
  target TEXT,                  -- id of what was acted on
  details TEXT NOT NULL,        -- JSON without personal data
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
`,
};
