import type { Migration } from './index';

/**
 * Anchors the audit chain's head: a trigger records the newest entry's seq and hash on every
 * append, and the anchor only moves forward, so removing the newest entries is detected too.
 */
export const m027AuditHead: Migration = {
  version: 27,
  name: 'audit-head',
  up: `
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
  SELECT 1, COALESCE((SELECT MAX(seq) FROM audit_log), 0),
         COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '${'0'.repeat(64)}');
CREATE TRIGGER audit_head_follow AFTER INSERT ON audit_log
  BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head WHEN NEW.seq <= OLD.seq
  BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward'); END;
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
  BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END;
`,
};
