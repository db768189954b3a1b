import type { CaseFilters } from '../../common/schemas/cases';
import type { Page } from '../../common/schemas/paging';
import type { Db } from '../store/database';

/** Statuses kept in the store; 'unsealing' exists only in memory while a scan runs. */
export type StoredCaseStatus = 'awaiting_approval' | 'ready' | 'closed' | 'expired';

/** A case as stored. */
export interface CaseRecord {
  id: string;
  reason: string;
  from: string;
  to: string;
  filters: CaseFilters;
  affectedCustomerId: string | null;
  keyIds: string[];
  unopenableKeyIds: string[];
  createdBy: string;
  createdAt: string;
  status: StoredCaseStatus;
  involvement: { note: string; by: string; at: string } | null;
  unsealedAt: string | null;
  closedAt: string | null;
  expiresAt: string;
  notice: string | null;
}

export interface ApprovalRecord {
  keyId: string;
  userId: string;
  at: string;
}

interface Row {
  id: string;
  reason: string;
  window_from: string;
  window_to: string;
  filters: string;
  affected_customer_id: string | null;
  key_ids: string;
  unopenable_key_ids: string;
  created_by: string;
  created_at: string;
  status: StoredCaseStatus;
  involvement_note: string | null;
  involvement_by: string | null;
  involvement_at: string | null;
  unsealed_at: string | null;
  closed_at: string | null;
  expires_at: string;
  notice: string | null;
}

const toCase = (r: Row): CaseRecord => ({
  id: r.id,
  reason: r.reason,
  from: r.window_from,
  to: r.window_to,
  filters: JSON.parse(r.filters) as CaseFilters,
  affectedCustomerId: r.affected_customer_id,
  keyIds: JSON.parse(r.key_ids) as string[],
  unopenableKeyIds: JSON.parse(r.unopenable_key_ids) as string[],
  createdBy: r.created_by,
  createdAt: r.created_at,
  status: r.status,
  involvement: r.involvement_note !== null ? { note: r.involvement_note, by: r.involvement_by ?? '', at: r.involvement_at ?? '' } : null,
  unsealedAt: r.unsealed_at,
  closedAt: r.closed_at,
  expiresAt: r.expires_at,
  notice: r.notice,
});

/** Cases and their approvals (tables cases, case_approvals). */
export class CaseRepo {
  constructor(private readonly db: Db) {}

  insert(c: CaseRecord): void {
    this.db
      .prepare(
        `INSERT INTO cases (id, reason, window_from, window_to, filters, affected_customer_id, key_ids, unopenable_key_ids,
           created_by, created_at, status, expires_at, notice) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.id, c.reason, c.from, c.to, JSON.stringify(c.filters), c.affectedCustomerId, JSON.stringify(c.keyIds), JSON.stringify(c.unopenableKeyIds), c.createdBy, c.createdAt, c.status, c.expiresAt, c.notice);
  }

  get(id: string): CaseRecord | null {
    const row = this.db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as Row | undefined;
    return row ? toCase(row) : null;
  }

  list(paging: { limit: number; offset: number; status?: StoredCaseStatus }): Page<CaseRecord> {
    const where = paging.status ? 'WHERE status = ?' : '';
    const params = paging.status ? [paging.status] : [];
    const total = this.db.prepare(`SELECT COUNT(*) FROM cases ${where}`).pluck().get(...params) as number;
    const rows = this.db.prepare(`SELECT * FROM cases ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`).all(...params, paging.limit, paging.offset) as Row[];
    return { items: rows.map(toCase), total, limit: paging.limit, offset: paging.offset };
  }

  /** Cases that are neither closed nor expired. */
  open(): CaseRecord[] {
    return (this.db.prepare("SELECT * FROM cases WHERE status IN ('awaiting_approval', 'ready')").all() as Row[]).map(toCase);
  }

  /** Open cases whose expiry has passed. */
  due(nowIso: string): CaseRecord[] {
    return (this.db.prepare("SELECT * FROM cases WHERE status IN ('awaiting_approval', 'ready') AND expires_at <= ?").all(nowIso) as Row[]).map(toCase);
  }

  setInvolvement(id: string, note: string, by: string, at: string): void {
    this.db.prepare('UPDATE cases SET involvement_note = ?, involvement_by = ?, involvement_at = ? WHERE id = ?').run(note, by, at, id);
  }

  setStatus(id: string, change: { status: StoredCaseStatus; unsealedAt?: string | null; closedAt?: string; expiresAt?: string; notice?: string | null }): void {
    this.db
      .prepare(
        `UPDATE cases SET status = ?, unsealed_at = CASE WHEN ? THEN ? ELSE unsealed_at END, closed_at = COALESCE(?, closed_at),
           expires_at = COALESCE(?, expires_at), notice = CASE WHEN ? THEN ? ELSE notice END WHERE id = ?`,
      )
      .run(
        change.status,
        change.unsealedAt !== undefined ? 1 : 0,
        change.unsealedAt ?? null,
        change.closedAt ?? null,
        change.expiresAt ?? null,
        change.notice !== undefined ? 1 : 0,
        change.notice ?? null,
        id,
      );
  }

  approvals(caseId: string): ApprovalRecord[] {
    return (this.db.prepare('SELECT key_id, user_id, at FROM case_approvals WHERE case_id = ? ORDER BY at, user_id').all(caseId) as Array<{ key_id: string; user_id: string; at: string }>).map(
      (r) => ({ keyId: r.key_id, userId: r.user_id, at: r.at }),
    );
  }

  /** Records an approval; false when this user already approved this key for the case. */
  addApproval(caseId: string, a: ApprovalRecord): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO case_approvals (case_id, key_id, user_id, at) VALUES (?, ?, ?, ?)').run(caseId, a.keyId, a.userId, a.at).changes === 1;
  }

  clearApprovals(caseId: string): void {
    this.db.prepare('DELETE FROM case_approvals WHERE case_id = ?').run(caseId);
  }
}
