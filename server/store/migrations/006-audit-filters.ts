import type { Migration } from './index';

/**
 * Indexes for the audit log's filters by person and by object (GET /api/audit?actor=…&target=…):
 * both keep the newest-first order by `seq`, so a filtered page reads only its own rows.
 */
export const m006AuditFilters: Migration = {
  version: 6,
  name: 'audit-filters',
  up: `
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_target ON audit_log (target, seq);
`,
};
