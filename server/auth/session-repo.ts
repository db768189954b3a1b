import type { Db } from '../store/database';

/** A stored session (its user is read through the owner's repo, which decrypts the e-mail). */
export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

/** Where one kind of account keeps its sessions: id_hash, <user column>, created_at, last_seen_at, expires_at. */
export interface SessionTable {
  table: string;
  userColumn: string;
}

/** Staff sessions (migration 001). */
export const STAFF_SESSIONS: SessionTable = { table: 'sessions', userColumn: 'user_id' };
/** Customer portal users' sessions (migration 040). */
export const PORTAL_SESSIONS: SessionTable = { table: 'portal_sessions', userColumn: 'portal_user_id' };

type Row = Record<string, string>;

/** Sessions: only the SHA-256 of each cookie id is stored. The only SQL on a sessions table. */
export class SessionRepo {
  private readonly t: string;
  private readonly u: string;

  /** `table` is a constant of this module, never input: its names are put into the SQL. */
  constructor(private readonly db: Db, table: SessionTable = STAFF_SESSIONS) {
    this.t = table.table;
    this.u = table.userColumn;
  }

  insert(s: { idHash: string; userId: string; at: string; expiresAt: string }): void {
    this.db
      .prepare(`INSERT INTO ${this.t} (id_hash, ${this.u}, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)`)
      .run(s.idHash, s.userId, s.at, s.at, s.expiresAt);
  }

  find(idHash: string): SessionRecord | null {
    const row = this.db.prepare(`SELECT * FROM ${this.t} WHERE id_hash = ?`).get(idHash) as Row | undefined;
    if (!row) return null;
    return { idHash: row.id_hash!, userId: row[this.u]!, createdAt: row.created_at!, lastSeenAt: row.last_seen_at!, expiresAt: row.expires_at! };
  }

  touch(idHash: string, at: string): void {
    this.db.prepare(`UPDATE ${this.t} SET last_seen_at = ? WHERE id_hash = ?`).run(at, idHash);
  }

  delete(idHash: string): void {
    this.db.prepare(`DELETE FROM ${this.t} WHERE id_hash = ?`).run(idHash);
  }

  /** Ends every session of a user, optionally keeping one (the caller's own). Returns how many ended. */
  deleteForUser(userId: string, keepIdHash?: string): number {
    return this.db.prepare(`DELETE FROM ${this.t} WHERE ${this.u} = ? AND id_hash IS NOT ?`).run(userId, keepIdHash ?? null).changes;
  }

  /** Removes sessions past their absolute expiry or idle since before `idleCutoff`. */
  purge(now: string, idleCutoff: string): number {
    return this.db.prepare(`DELETE FROM ${this.t} WHERE expires_at <= ? OR last_seen_at <= ?`).run(now, idleCutoff).changes;
  }

  countForUser(userId: string): number {
    return this.db.prepare(`SELECT COUNT(*) FROM ${this.t} WHERE ${this.u} = ?`).pluck().get(userId) as number;
  }
}
