import type { Migration } from './index';

/**
 * Forwarded requests answered in the customer portal: `request_replies` holds the answers of the
 * customer's portal users (and staff), each message an AES-256-GCM ciphertext bound to its row;
 * `requests.customer_status` is the customer's own progress on a forwarded request (NULL: not
 * looked at yet, `in_progress`, `done`). Replies go with the request's personal data: erased with it
 * (RequestRepo.erase), and removed with the request row.
 */
export const m041RequestReplies: Migration = {
  version: 41,
  name: 'request-replies',
  up: `
CREATE TABLE request_replies (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
  author_kind TEXT NOT NULL CHECK (author_kind IN ('customer', 'staff')),
  author_id TEXT NOT NULL,           -- portal user id or staff user id; no foreign key: either may be removed first
  message_enc TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX request_replies_request ON request_replies(request_id, created_at);
ALTER TABLE requests ADD COLUMN customer_status TEXT;  -- NULL | in_progress | done (set by the customer in the portal)
CREATE INDEX requests_forwarded_to ON requests(forwarded_to, received_at);
`,
};
