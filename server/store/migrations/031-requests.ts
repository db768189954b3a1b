import type { Migration } from './index';

/**
 * Contact and data-subject requests. Personal fields (`*_enc`) are AES-GCM ciphertexts bound to
 * their row; the submitter's e-mail is findable only through its keyed hash. After closing, the
 * personal fields are wiped (or kept, restricted, until `retain_until`); the rest stays as the
 * record that the request was handled.
 */
export const m031Requests: Migration = {
  version: 31,
  name: 'requests',
  up: `
CREATE TABLE requests (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,                -- contact | access | rectification | erasure | restriction | portability | objection
  status TEXT NOT NULL DEFAULT 'open', -- open | in_progress | forwarded | answered | closed
  customer_id TEXT,                  -- the customer the request is about; no foreign key: it may be erased first
  submitter_hash TEXT,               -- keyed hash of the submitter's e-mail (lookups for access requests)
  name_enc TEXT,
  email_enc TEXT,
  message_enc TEXT,
  reply_enc TEXT,
  note_enc TEXT,
  personal_data TEXT NOT NULL DEFAULT 'present', -- present | restricted | erased
  received_at TEXT NOT NULL,
  due_at TEXT NOT NULL,              -- one month after receipt (Art. 12(3) GDPR)
  updated_at TEXT NOT NULL,
  forwarded_to TEXT,
  forwarded_at TEXT,
  closed_at TEXT,
  retain_until TEXT,
  erased_at TEXT
);
CREATE INDEX requests_due ON requests(due_at);
CREATE INDEX requests_submitter ON requests(submitter_hash);
CREATE INDEX requests_retained ON requests(personal_data, retain_until);
`,
};
