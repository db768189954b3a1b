import type { Role } from '../../common/roles';
import type { Page } from '../../common/schemas/paging';
import type { User } from '../../common/schemas/user';
import { pagedSelect } from '../store/list-sql';
import type { FieldCipher } from '../privacy/field-cipher';
import type { Db } from '../store/database';
import { openStaffEmail, sealStaffEmail, staffEmailHash } from './staff-email-fields';

/** The users table as stored: `email` is ciphertext once `pii_version` is 1 (migration 033). */
interface UserRow {
  id: string;
  email: string;
  email_hash: string | null;
  pii_version: number;
  name: string;
  password_hash: string;
  roles: string;
  disabled: number;
  created_at: string;
  updated_at: string;
}

/** A user with the password hash, for sign-in only; never sent to clients. */
export interface UserWithHash extends User {
  passwordHash: string;
}

/**
 * Staff accounts: the only place with SQL on the users table, and the one place that encrypts and
 * decrypts their e-mail addresses (found by keyed hash, never by the address itself).
 */
export class UserRepo {
  constructor(private readonly db: Db, private readonly cipher: FieldCipher) {}

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number;
  }

  get(id: string): User | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? this.toUser(row) : null;
  }

  /** Looks an account up by its e-mail (any case), with its password hash. */
  getForLogin(email: string): UserWithHash | null {
    const row = this.db.prepare('SELECT * FROM users WHERE email_hash = ?').get(staffEmailHash(this.cipher, email)) as UserRow | undefined;
    return row ? { ...this.toUser(row), passwordHash: row.password_hash } : null;
  }

  /** Whether an account has this e-mail (any case). */
  emailTaken(email: string): boolean {
    return this.db.prepare('SELECT 1 FROM users WHERE email_hash = ?').get(staffEmailHash(this.cipher, email)) !== undefined;
  }

  /** Paged list, newest first; `q` matches part of the name, e-mail or id, case-insensitively. */
  list(query: { limit: number; offset: number; q?: string }): Page<User> {
    if (!query.q) return pagedSelect(this.db, 'users', [], query, (r: UserRow) => this.toUser(r));
    // E-mails are encrypted, so a search decrypts the accounts and filters here: staff lists are short.
    const q = query.q.toLowerCase();
    const rows = this.db.prepare('SELECT * FROM users ORDER BY created_at DESC, id').all() as UserRow[];
    const hits = rows.map((r) => this.toUser(r)).filter((u) => [u.name, u.email, u.id].some((v) => v.toLowerCase().includes(q)));
    return { items: hits.slice(query.offset, query.offset + query.limit), total: hits.length, limit: query.limit, offset: query.offset };
  }

  /** Enabled accounts holding at least one of `roles`, by name then e-mail. */
  enabledWithAnyRole(roles: readonly Role[]): User[] {
    const rows = this.db
      .prepare(`SELECT * FROM users u WHERE u.disabled = 0 AND EXISTS (SELECT 1 FROM json_each(u.roles) WHERE value IN (${roles.map(() => '?').join(', ')}))`)
      .all(...roles) as UserRow[];
    const order = (a: User, b: User) => compare(a.name, b.name) || compare(a.email, b.email);
    return rows.map((r) => this.toUser(r)).sort(order);
  }

  insert(user: { id: string; email: string; name: string; passwordHash: string; roles: Role[]; at: string }): User {
    this.db
      .prepare(
        `INSERT INTO users (id, email, email_hash, pii_version, name, password_hash, roles, disabled, created_at, updated_at)
         VALUES (@id, @email, @email_hash, @pii_version, @name, @passwordHash, @roles, 0, @at, @at)`,
      )
      .run({ ...sealStaffEmail(this.cipher, user.id, user.email), id: user.id, name: user.name, passwordHash: user.passwordHash, roles: JSON.stringify(user.roles), at: user.at });
    return this.get(user.id)!;
  }

  update(id: string, change: { name?: string; roles?: Role[]; disabled?: boolean; passwordHash?: string }, at: string): User | null {
    this.db
      .prepare(
        `UPDATE users SET name = COALESCE(?, name), roles = COALESCE(?, roles), disabled = COALESCE(?, disabled),
         password_hash = COALESCE(?, password_hash), updated_at = ? WHERE id = ?`,
      )
      .run(
        change.name ?? null,
        change.roles ? JSON.stringify(change.roles) : null,
        change.disabled === undefined ? null : change.disabled ? 1 : 0,
        change.passwordHash ?? null,
        at,
        id,
      );
    return this.get(id);
  }

  /**
   * Encrypts the e-mails of rows written before migration 033 (pii_version 0) and fills their lookup
   * hash, in one transaction; returns how many rows it converted. Runs at start, with the data key.
   */
  encryptLegacyRows(): number {
    const rows = this.db.prepare('SELECT id, email FROM users WHERE pii_version = 0 ORDER BY id').all() as Array<{ id: string; email: string }>;
    const sealed = rows.map((r) => ({ id: r.id, ...sealStaffEmail(this.cipher, r.id, r.email) }));
    const byHash = new Map<string, string>();
    for (const s of sealed) {
      const other = byHash.get(s.email_hash);
      // Only ids in the message: the addresses are what is being protected.
      if (other) throw new Error(`The staff accounts ${other} and ${s.id} have the same e-mail address apart from case; remove one of them (e.g. with an older version) and start again.`);
      byHash.set(s.email_hash, s.id);
    }
    const update = this.db.prepare('UPDATE users SET email = @email, email_hash = @email_hash, pii_version = @pii_version WHERE id = @id AND pii_version = 0');
    this.db.transaction(() => {
      for (const s of sealed) update.run(s);
    })();
    return rows.length;
  }

  private toUser(r: UserRow): User {
    return {
      id: r.id,
      email: openStaffEmail(this.cipher, r),
      name: r.name,
      roles: JSON.parse(r.roles) as Role[],
      disabled: r.disabled === 1,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
