import type { Db } from '../store/database';

/** One user's stored second factor (the secret still encrypted). */
export interface TotpRecord {
  userId: string;
  encryptedSecret: string;
  enabled: boolean;
  lastStep: number | null;
}

interface Row {
  user_id: string;
  secret: string;
  enabled: number;
  last_step: number | null;
}

/** The only SQL on user_totp and totp_recovery_codes (migration 005). */
export class TotpRepo {
  constructor(private readonly db: Db) {}

  find(userId: string): TotpRecord | null {
    const row = this.db.prepare('SELECT user_id, secret, enabled, last_step FROM user_totp WHERE user_id = ?').get(userId) as Row | undefined;
    return row ? { userId: row.user_id, encryptedSecret: row.secret, enabled: row.enabled === 1, lastStep: row.last_step } : null;
  }

  isEnabled(userId: string): boolean {
    return this.db.prepare('SELECT enabled FROM user_totp WHERE user_id = ?').pluck().get(userId) === 1;
  }

  /** Stores a pending enrolment, replacing a pending one (an enabled one is never replaced here). */
  savePending(userId: string, encryptedSecret: string, at: string): void {
    this.db
      .prepare(
        `INSERT INTO user_totp (user_id, secret, enabled, last_step, created_at) VALUES (?, ?, 0, NULL, ?)
         ON CONFLICT(user_id) DO UPDATE SET secret = excluded.secret, last_step = NULL, created_at = excluded.created_at WHERE enabled = 0`,
      )
      .run(userId, encryptedSecret, at);
  }

  /** Turns a pending enrolment on and replaces the recovery codes. */
  enable(userId: string, step: number, codeHashes: readonly string[], at: string): void {
    this.db.prepare('UPDATE user_totp SET enabled = 1, last_step = ?, confirmed_at = ? WHERE user_id = ?').run(step, at, userId);
    this.db.prepare('DELETE FROM totp_recovery_codes WHERE user_id = ?').run(userId);
    const insert = this.db.prepare('INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES (?, ?)');
    for (const hash of codeHashes) insert.run(userId, hash);
  }

  /** Records an accepted step unless a later or equal one was accepted meanwhile; false then (a replay). */
  acceptStep(userId: string, step: number): boolean {
    return this.db.prepare('UPDATE user_totp SET last_step = ? WHERE user_id = ? AND (last_step IS NULL OR last_step < ?)').run(step, userId, step).changes === 1;
  }

  /** Removes the second factor and its recovery codes; true when there was one. */
  remove(userId: string): boolean {
    this.db.prepare('DELETE FROM totp_recovery_codes WHERE user_id = ?').run(userId);
    return this.db.prepare('DELETE FROM user_totp WHERE user_id = ?').run(userId).changes === 1;
  }

  /** Hashes of the recovery codes not yet used. */
  unusedCodeHashes(userId: string): string[] {
    return this.db.prepare('SELECT code_hash FROM totp_recovery_codes WHERE user_id = ? AND used_at IS NULL').pluck().all(userId) as string[];
  }

  /** Marks one code used; false when it was used meanwhile. */
  useCode(userId: string, hash: string, at: string): boolean {
    return this.db.prepare('UPDATE totp_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL').run(at, userId, hash).changes === 1;
  }
}
