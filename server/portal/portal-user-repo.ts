import type { FieldCipher } from '../privacy/field-cipher';
import type { Db } from '../store/database';
import { openPortalEmail, portalEmailHash, sealPortalEmail } from './portal-email-fields';

interface Row {
  id: string;
  customer_id: string;
  email: string;
  email_hash: string;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
}

/** A customer's portal user (the e-mail decrypted). */
export interface PortalUser {
  id: string;
  customerId: string;
  email: string;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastSignInAt: string | null;
}

/** With the password hash, for sign-in and password checks only; never sent to clients. */
export interface PortalUserWithHash extends PortalUser {
  passwordHash: string;
}

/** Customer users of the portal: the only SQL on portal_users; e-mails encrypted, found by keyed hash. */
export class PortalUserRepo {
  constructor(private readonly db: Db, private readonly cipher: FieldCipher) {}

  get(id: string): PortalUser | null {
    const row = this.db.prepare('SELECT * FROM portal_users WHERE id = ?').get(id) as Row | undefined;
    return row ? this.toUser(row) : null;
  }

  /** With the password hash (password change, switching TOTP off). */
  getWithHash(id: string): PortalUserWithHash | null {
    const row = this.db.prepare('SELECT * FROM portal_users WHERE id = ?').get(id) as Row | undefined;
    return row ? { ...this.toUser(row), passwordHash: row.password_hash } : null;
  }

  /** Looks a user up by e-mail (any case), with the password hash. */
  getForLogin(email: string): PortalUserWithHash | null {
    const row = this.db.prepare('SELECT * FROM portal_users WHERE email_hash = ?').get(portalEmailHash(this.cipher, email)) as Row | undefined;
    return row ? { ...this.toUser(row), passwordHash: row.password_hash } : null;
  }

  /** Whether any customer has a portal user with this e-mail. */
  emailTaken(email: string): boolean {
    return this.db.prepare('SELECT 1 FROM portal_users WHERE email_hash = ?').get(portalEmailHash(this.cipher, email)) !== undefined;
  }

  /** The portal users of one customer, oldest first. */
  listForCustomer(customerId: string): PortalUser[] {
    return (this.db.prepare('SELECT * FROM portal_users WHERE customer_id = ? ORDER BY created_at, id').all(customerId) as Row[]).map((r) => this.toUser(r));
  }

  insert(user: { id: string; customerId: string; email: string; passwordHash: string; at: string }): PortalUser {
    this.db
      .prepare(
        `INSERT INTO portal_users (id, customer_id, email, email_hash, password_hash, disabled, created_at, updated_at)
         VALUES (@id, @customerId, @email, @email_hash, @passwordHash, 0, @at, @at)`,
      )
      .run({ ...sealPortalEmail(this.cipher, 'portal_users', user.id, user.email), id: user.id, customerId: user.customerId, passwordHash: user.passwordHash, at: user.at });
    return this.get(user.id)!;
  }

  setDisabled(id: string, disabled: boolean, at: string): boolean {
    return this.db.prepare('UPDATE portal_users SET disabled = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, at, id).changes === 1;
  }

  setPasswordHash(id: string, passwordHash: string, at: string): void {
    this.db.prepare('UPDATE portal_users SET password_hash = ?, updated_at = ? WHERE id = ?').run(passwordHash, at, id);
  }

  recordSignIn(id: string, at: string): void {
    this.db.prepare('UPDATE portal_users SET last_sign_in_at = ? WHERE id = ?').run(at, id);
  }

  /** Deletes a user; their sessions and second factor go with them (ON DELETE CASCADE). */
  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM portal_users WHERE id = ?').run(id).changes === 1;
  }

  private toUser(r: Row): PortalUser {
    return {
      id: r.id,
      customerId: r.customer_id,
      email: openPortalEmail(this.cipher, 'portal_users', r),
      disabled: r.disabled === 1,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      lastSignInAt: r.last_sign_in_at,
    };
  }
}
