import type { Db } from '../store/database';

/** A stored session (its user is read through UserRepo, which decrypts the e-mail). */
export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

interface Row {
  id_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

/** Sessions: only the SHA-256 of each cookie id is stored. The only SQL on the sessions table. */
export class SessionRepo {
  constructor(private readonly db: Db) {}

  insert(s: { idHash: string; userId: string; at: string; expiresAt: string }): void {
    this.db
      .prepare('INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(s.idHash, s.userId, s.at, s.at, s.expiresAt);
  }

  find(idHash: string): SessionRecord | null {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as Row | undefined;
    if (!row) return null;
    return { idHash: row.id_hash, userId: row.user_id, createdAt: row.created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at };
  }

  touch(idHash: string, at: string): void {
    this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(at, idHash);
  }

  delete(idHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  /** Ends every session of a user, optionally keeping one (the caller's own). Returns how many ended. */
  deleteForUser(userId: string, keepIdHash?: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash IS NOT ?').run(userId, keepIdHash ?? null).changes;
  }

  /** Removes sessions past their absolute expiry or idle since before `idleCutoff`. */
  purge(now: string, idleCutoff: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?').run(now, idleCutoff).changes;
  }

  countForUser(userId: string): number {
    return this.db.prepare('SELECT COUNT(*) FROM sessions WHERE user_id = ?').pluck().get(userId) as number;
  }
}
