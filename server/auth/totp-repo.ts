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

/** Where one kind of account keeps its second factor: two tables of migration 005's shape. */
export interface TotpTables {
  /** user_id (the account's id), secret, enabled, last_step, created_at, confirmed_at. */
  totp: string;
  /** user_id, code_hash, used_at. */
  recoveryCodes: string;
}

/** Staff accounts' second factor (migration 005). */
export const STAFF_TOTP_TABLES: TotpTables = { totp: 'user_totp', recoveryCodes: 'totp_recovery_codes' };
/** Customer portal users' second factor (migration 040). */
export const PORTAL_TOTP_TABLES: TotpTables = { totp: 'portal_user_totp', recoveryCodes: 'portal_totp_recovery_codes' };

/** The only SQL on a kind of account's TOTP tables (staff: migration 005, portal users: 040). */
export class TotpRepo {
  private readonly t: string;
  private readonly c: string;

  /** `tables` are constants of this module, never input: they are put into the SQL as names. */
  constructor(private readonly db: Db, tables: TotpTables = STAFF_TOTP_TABLES) {
    this.t = tables.totp;
    this.c = tables.recoveryCodes;
  }

  find(userId: string): TotpRecord | null {
    const row = this.db.prepare(`SELECT user_id, secret, enabled, last_step FROM ${this.t} WHERE user_id = ?`).get(userId) as Row | undefined;
    return row ? { userId: row.user_id, encryptedSecret: row.secret, enabled: row.enabled === 1, lastStep: row.last_step } : null;
  }

  isEnabled(userId: string): boolean {
    return this.db.prepare(`SELECT enabled FROM ${this.t} WHERE user_id = ?`).pluck().get(userId) === 1;
  }

  /** Stores a pending enrolment, replacing a pending one (an enabled one is never replaced here). */
  savePending(userId: string, encryptedSecret: string, at: string): void {
    this.db
      .prepare(
        `INSERT INTO ${this.t} (user_id, secret, enabled, last_step, created_at) VALUES (?, ?, 0, NULL, ?)
         ON CONFLICT(user_id) DO UPDATE SET secret = excluded.secret, last_step = NULL, created_at = excluded.created_at WHERE enabled = 0`,
      )
      .run(userId, encryptedSecret, at);
  }

  /** Turns a pending enrolment on and replaces the recovery codes. */
  enable(userId: string, step: number, codeHashes: readonly string[], at: string): void {
    this.db.prepare(`UPDATE ${this.t} SET enabled = 1, last_step = ?, confirmed_at = ? WHERE user_id = ?`).run(step, at, userId);
    this.db.prepare(`DELETE FROM ${this.c} WHERE user_id = ?`).run(userId);
    const insert = this.db.prepare(`INSERT INTO ${this.c} (user_id, code_hash) VALUES (?, ?)`);
    for (const hash of codeHashes) insert.run(userId, hash);
  }

  /** Records an accepted step unless a later or equal one was accepted meanwhile; false then (a replay). */
  acceptStep(userId: string, step: number): boolean {
    return this.db.prepare(`UPDATE ${this.t} SET last_step = ? WHERE user_id = ? AND (last_step IS NULL OR last_step < ?)`).run(step, userId, step).changes === 1;
  }

  /** Removes the second factor and its recovery codes; true when there was one. */
  remove(userId: string): boolean {
    this.db.prepare(`DELETE FROM ${this.c} WHERE user_id = ?`).run(userId);
    return this.db.prepare(`DELETE FROM ${this.t} WHERE user_id = ?`).run(userId).changes === 1;
  }

  /** Hashes of the recovery codes not yet used. */
  unusedCodeHashes(userId: string): string[] {
    return this.db.prepare(`SELECT code_hash FROM ${this.c} WHERE user_id = ? AND used_at IS NULL`).pluck().all(userId) as string[];
  }

  /** Marks one code used; false when it was used meanwhile. */
  useCode(userId: string, hash: string, at: string): boolean {
    return this.db.prepare(`UPDATE ${this.c} SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`).run(at, userId, hash).changes === 1;
  }
}
