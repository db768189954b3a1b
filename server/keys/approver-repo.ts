import { APPROVER_ROLES, type Role } from '../../common/roles';
import type { ApproverView } from '../../common/schemas/keys';
import type { Db } from '../store/database';

interface Row {
  id: string;
  email: string;
  name: string;
  roles: string;
  public_key: string | null;
  enrolled_at: string | null;
}

const toView = (r: Row): ApproverView => ({
  userId: r.id,
  email: r.email,
  name: r.name,
  roles: JSON.parse(r.roles) as Role[],
  enrolled: r.public_key !== null,
  enrolledAt: r.enrolled_at,
  publicKey: r.public_key,
});

const APPROVER_ROLE_LIST = APPROVER_ROLES.map((r) => `'${r}'`).join(', ');

/** Approvers' registered public keys (table approver_keys) and the accounts that may hold shares. */
export class ApproverRepo {
  constructor(private readonly db: Db) {}

  /** Stores or replaces a user's public key; returns the key it replaced, if any. */
  enrol(userId: string, publicKey: string, at: string): { previous: string | null } {
    return this.db.transaction(() => {
      const previous = (this.db.prepare('SELECT public_key FROM approver_keys WHERE user_id = ?').pluck().get(userId) as string | undefined) ?? null;
      this.db
        .prepare('INSERT INTO approver_keys (user_id, public_key, enrolled_at) VALUES (?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET public_key = excluded.public_key, enrolled_at = excluded.enrolled_at')
        .run(userId, publicKey, at);
      return { previous };
    })();
  }

  /** Every enabled account with an approver role, enrolled or not, by name. */
  list(): ApproverView[] {
    const rows = this.db
      .prepare(
        `SELECT u.id, u.email, u.name, u.roles, a.public_key, a.enrolled_at
         FROM users u LEFT JOIN approver_keys a ON a.user_id = u.id
         WHERE u.disabled = 0 AND EXISTS (SELECT 1 FROM json_each(u.roles) WHERE value IN (${APPROVER_ROLE_LIST}))
         ORDER BY u.name, u.email`,
      )
      .all() as Row[];
    return rows.map(toView);
  }

  /** One account's approver view (also when it holds no approver role); null when unknown. */
  get(userId: string): (ApproverView & { disabled: boolean }) | null {
    const row = this.db
      .prepare('SELECT u.id, u.email, u.name, u.roles, u.disabled, a.public_key, a.enrolled_at FROM users u LEFT JOIN approver_keys a ON a.user_id = u.id WHERE u.id = ?')
      .get(userId) as (Row & { disabled: number }) | undefined;
    return row ? { ...toView(row), disabled: row.disabled === 1 } : null;
  }
}
