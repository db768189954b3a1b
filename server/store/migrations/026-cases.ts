import type { Migration } from './index';

/** Unsealing cases and their approvals. Case keys, re-wrapped shares and results live only in memory. */
export const m026Cases: Migration = {
  version: 26,
  name: 'cases',
  up: `
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  reason TEXT NOT NULL,
  window_from TEXT NOT NULL,
  window_to TEXT NOT NULL,
  filters TEXT NOT NULL,             -- JSON, common/schemas/cases.ts
  affected_customer_id TEXT,
  key_ids TEXT NOT NULL,             -- JSON: the ceremony keys whose segments overlap the window (each needs its quorum)
  unopenable_key_ids TEXT NOT NULL,  -- JSON: throwaway keys whose segments overlap the window (can never be opened)
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL,              -- awaiting_approval | ready | closed | expired ('unsealing' exists only in memory)
  involvement_note TEXT,
  involvement_by TEXT,
  involvement_at TEXT,
  unsealed_at TEXT,
  closed_at TEXT,
  expires_at TEXT NOT NULL,
  notice TEXT
);
CREATE INDEX cases_created ON cases(created_at);
CREATE INDEX cases_status ON cases(status, expires_at);

CREATE TABLE case_approvals (
  case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  key_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (case_id, key_id, user_id)
);
`,
};
