import type { Role } from '../../common/roles';
import type { Page } from '../../common/schemas/paging';
import type { User } from '../../common/schemas/user';
import { pagedSelect, searchCondition } from '../catalog/list-sql';
import type { Db } from '../store/database';

interface UserRow {
  id: string;
  email: string;
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

const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  roles: JSON.parse(r.roles) as Role[],
  disabled: r.disabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Staff accounts: the only place with SQL on the users table. */
export class UserRepo {
  constructor(private readonly db: Db) {}

  count(): number {
    return this.db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number;
  }

  get(id: string): User | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  /** Looks an account up by its (already lower-cased) e-mail, with its password hash. */
  getForLogin(email: string): UserWithHash | null {
    const row = this.db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
    return row ? { ...toUser(row), passwordHash: row.password_hash } : null;
  }

  emailTaken(email: string): boolean {
    return this.db.prepare('SELECT 1 FROM users WHERE email = ?').get(email) !== undefined;
  }

  list(query: { limit: number; offset: number; q?: string }): Page<User> {
    return pagedSelect(this.db, 'users', [searchCondition(query.q, ['name', 'email', 'id'])], query, toUser);
  }

  insert(user: { id: string; email: string; name: string; passwordHash: string; roles: Role[]; at: string }): User {
    this.db
      .prepare('INSERT INTO users (id, email, name, password_hash, roles, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)')
      .run(user.id, user.email, user.name, user.passwordHash, JSON.stringify(user.roles), user.at, user.at);
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
}
