import { createHash } from 'node:crypto';
import type { AuditAction, AuditEntry } from '../../common/schemas/audit';
import type { Db } from '../store/database';

/** What a caller records: who did what to which thing. Details must hold no personal data. */
export interface AuditEvent {
  actor: string;
  action: AuditAction;
  target?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Filters of the audit list, all optional and combined with AND. `actionPrefix` matches `case.`
 * and `case.approve` alike; `actions` is a set (the actions whose target is of one kind); times are
 * ISO strings as stored (`from` inclusive, `to` exclusive).
 */
export interface AuditFilter {
  actionPrefix?: string;
  actions?: readonly string[];
  actor?: string;
  target?: string;
  from?: string;
  to?: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Hash of an entry's content and its predecessor's hash; any change to either changes it. */
export function entryHash(e: Omit<AuditEntry, 'hash'>): string {
  const canonical = JSON.stringify([e.seq, e.at, e.actor, e.action, e.target, canonicalJson(e.details), e.prevHash]);
  return createHash('sha256').update(canonical).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

interface Row {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

const toEntry = (r: Row): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  action: r.action,
  target: r.target,
  details: JSON.parse(r.details) as Record<string, unknown>,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/** The append-only, hash-chained audit log. */
export class AuditLog {
  private readonly lastStmt;
  private readonly insertStmt;

  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {
    this.lastStmt = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    this.insertStmt = db.prepare('INSERT INTO audit_log (seq, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  }

  /** Appends one entry chained to the last; runs inside the caller's transaction when there is one. */
  append(event: AuditEvent): AuditEntry {
    const write = () => {
      const last = this.lastStmt.get() as { seq: number; hash: string } | undefined;
      const base = {
        seq: (last?.seq ?? 0) + 1,
        at: this.now().toISOString(),
        actor: event.actor,
        action: event.action,
        target: event.target ?? null,
        details: event.details ?? {},
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const entry: AuditEntry = { ...base, hash: entryHash(base) };
      this.insertStmt.run(entry.seq, entry.at, entry.actor, entry.action, entry.target, canonicalJson(entry.details), entry.prevHash, entry.hash);
      return entry;
    };
    return this.db.inTransaction ? write() : this.db.transaction(write).immediate();
  }

  /** Entries newest first, paged by `beforeSeq`; every filter given narrows the page (see AuditFilter). */
  list(options: { limit: number; beforeSeq?: number } & AuditFilter): AuditEntry[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    const add = (clause: string, ...values: (string | number)[]) => {
      where.push(clause);
      params.push(...values);
    };
    if (options.actions?.length === 0) return [];
    if (options.beforeSeq !== undefined) add('seq < ?', options.beforeSeq);
    // `_` is a LIKE wildcard and occurs in action names: escape it so `case.unseal_` means itself.
    if (options.actionPrefix !== undefined) add("action LIKE ? ESCAPE '\\'", `${options.actionPrefix.replace(/[\\%_]/g, '\\$&')}%`);
    if (options.actions !== undefined) add(`action IN (${options.actions.map(() => '?').join(', ')})`, ...options.actions);
    if (options.actor !== undefined) add('actor = ?', options.actor);
    if (options.target !== undefined) add('target = ?', options.target);
    if (options.from !== undefined) add('at >= ?', options.from);
    if (options.to !== undefined) add('at < ?', options.to);
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, options.limit) as Row[]).map(toEntry);
  }

  /** Walks the whole chain; returns the first entry that was altered, removed or reordered, if any. */
  verify(): { ok: true; count: number; head: string } | { ok: false; count: number; badSeq: number; reason: string } {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY seq ASC').iterate() as Iterable<Row>) {
      const entry = toEntry(row);
      if (entry.seq !== expectedSeq) return { ok: false, count, badSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (entry.prevHash !== prev) return { ok: false, count, badSeq: entry.seq, reason: `entry ${entry.seq} does not follow entry ${entry.seq - 1}` };
      if (entryHash(entry) !== entry.hash || canonicalJson(entry.details) !== row.details) {
        return { ok: false, count, badSeq: entry.seq, reason: `entry ${entry.seq} was altered` };
      }
      prev = entry.hash;
      expectedSeq++;
      count++;
    }
    const anchor = this.head();
    if (anchor === null) return { ok: false, count, badSeq: count + 1, reason: 'the recorded chain head is missing' };
    if (anchor && anchor.seq > count) {
      return { ok: false, count, badSeq: count + 1, reason: `entries ${count + 1} to ${anchor.seq} are missing (the chain head records ${anchor.seq} entries)` };
    }
    if (anchor && anchor.seq < count) {
      return { ok: false, count, badSeq: anchor.seq + 1, reason: `entry ${anchor.seq + 1} was added behind the audit log's back (the chain head records ${anchor.seq} entries)` };
    }
    if (anchor && anchor.seq === count && anchor.hash !== prev) {
      return { ok: false, count, badSeq: count, reason: `entry ${count} was replaced (it differs from the recorded chain head)` };
    }
    return { ok: true, count, head: prev };
  }

  /** The recorded chain head (seq and hash of the newest entry) kept by a trigger; undefined in stores without one, null when removed. */
  private head(): { seq: number; hash: string } | null | undefined {
    const table = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_head'").get();
    if (!table) return undefined;
    return (this.db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined) ?? null;
  }
}
