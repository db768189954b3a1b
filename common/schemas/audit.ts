/** One audit entry as stored and as served by GET /api/audit (hash-chained: `hash` covers the content and `prevHash`). */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Answer of GET /api/audit: newest first; `nextBefore` is the `before` of the next older page, or null. */
export interface AuditPage {
  items: AuditEntry[];
  nextBefore: number | null;
}

/** Answer of GET /api/audit/verify. */
export type AuditVerification = { ok: true; count: number } | { ok: false; count: number; badSeq: number; reason: string };
