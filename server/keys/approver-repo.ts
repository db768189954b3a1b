import { APPROVER_ROLES } from '../../common/roles';
import type { ApproverView } from '../../common/schemas/keys';
import type { User } from '../../common/schemas/user';
import type { Db } from '../store/database';
import type { UserRepo } from '../users/user-repo';

interface KeyRow {
  user_id: string;
  public_key: string;
  enrolled_at: string;
}

const toView = (u: User, key: KeyRow | undefined): ApproverView => ({
  userId: u.id,
  email: u.email,
  name: u.name,
  roles: u.roles,
  enrolled: key !== undefined,
  enrolledAt: key?.enrolled_at ?? null,
  publicKey: key?.public_key ?? null,
});

/** Approvers' registered public keys (table approver_keys) and the accounts that may hold shares (read through UserRepo). */
export class ApproverRepo {
  constructor(private readonly db: Db, private readonly users: UserRepo) {}

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
    const keys = new Map((this.db.prepare('SELECT user_id, public_key, enrolled_at FROM approver_keys').all() as KeyRow[]).map((k) => [k.user_id, k]));
    return this.users.enabledWithAnyRole(APPROVER_ROLES).map((u) => toView(u, keys.get(u.id)));
  }

  /** One account's approver view (also when it holds no approver role); null when unknown. */
  get(userId: string): (ApproverView & { disabled: boolean }) | null {
    const user = this.users.get(userId);
    if (!user) return null;
    const key = this.db.prepare('SELECT user_id, public_key, enrolled_at FROM approver_keys WHERE user_id = ?').get(userId) as KeyRow | undefined;
    return { ...toView(user, key), disabled: user.disabled };
  }
}
