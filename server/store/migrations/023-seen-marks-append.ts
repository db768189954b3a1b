import type { Migration } from './index';

/**
 * The marks of counted decisions (delivery_seen_decisions, migration 010) were keyed by the random
 * decision id: each flush inserted a second's worth of marks at random places of a tree that grows
 * with the traffic of the tokens' lifetime, so a flush touched (and wrote to the write-ahead log) a
 * page per mark and held the event loop for 40–60 ms after a few minutes at 2,500 counts a second
 * (bench:soak). Uniqueness is the in-memory set's job (SeenDecisions.markFirst): the store only keeps
 * the marks to reload after a restart, so they are appended in the order they were counted, and the
 * expiry index (kind, issued hour) grows at its end as well.
 */
export const m023SeenMarksAppend: Migration = {
  version: 23,
  name: 'seen-marks-append',
  up: `
CREATE TABLE delivery_seen_marks (
  kind INTEGER NOT NULL,             -- 0 impression, 1 click, 2 viewable impression
  issued_hour INTEGER NOT NULL,      -- hour the token was issued (unix seconds / 3600), for expiry
  decision_id TEXT NOT NULL          -- random 16 bytes, base64url; links to nobody
);
CREATE INDEX delivery_seen_marks_expiry ON delivery_seen_marks(kind, issued_hour);
INSERT INTO delivery_seen_marks (kind, issued_hour, decision_id)
  SELECT kind, issued_hour, decision_id FROM delivery_seen_decisions ORDER BY issued_hour, kind;
DROP TABLE delivery_seen_decisions;
`,
};
