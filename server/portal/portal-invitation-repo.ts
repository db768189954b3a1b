import type { FieldCipher } from '../privacy/field-cipher';
import type { Db } from '../store/database';
import { openPortalEmail, sealPortalEmail } from './portal-email-fields';

interface Row {
  id: string;
  customer_id: string;
  email: string;
  email_hash: string;
  token_hash: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  created_by: string;
  created_at: string;
}

/** An invitation to a customer's portal (e-mail decrypted; the token itself is never stored). */
export interface PortalInvitation {
  id: string;
  customerId: string;
  email: string;
  tokenHash: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
  createdBy: string;
  createdAt: string;
}

/** Whether an invitation can still be accepted at `now`. */
export const isOpen = (inv: Pick<PortalInvitation, 'usedAt' | 'revokedAt' | 'expiresAt'>, now: Date): boolean =>
  inv.usedAt === null && inv.revokedAt === null && now.getTime() < Date.parse(inv.expiresAt);

/** Invitations to the portal: the only SQL on portal_invitations. */
export class PortalInvitationRepo {
  constructor(private readonly db: Db, private readonly cipher: FieldCipher) {}

  insert(inv: { id: string; customerId: string; email: string; tokenHash: string; expiresAt: string; createdBy: string; at: string }): void {
    this.db
      .prepare(
        `INSERT INTO portal_invitations (id, customer_id, email, email_hash, token_hash, expires_at, created_by, created_at)
         VALUES (@id, @customerId, @email, @email_hash, @tokenHash, @expiresAt, @createdBy, @at)`,
      )
      .run({ ...sealPortalEmail(this.cipher, 'portal_invitations', inv.id, inv.email), id: inv.id, customerId: inv.customerId, tokenHash: inv.tokenHash, expiresAt: inv.expiresAt, createdBy: inv.createdBy, at: inv.at });
  }

  get(id: string): PortalInvitation | null {
    const row = this.db.prepare('SELECT * FROM portal_invitations WHERE id = ?').get(id) as Row | undefined;
    return row ? this.toInvitation(row) : null;
  }

  /** The invitation whose token has this SHA-256 (hex), in any state. */
  findByTokenHash(tokenHash: string): PortalInvitation | null {
    const row = this.db.prepare('SELECT * FROM portal_invitations WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return row ? this.toInvitation(row) : null;
  }

  /** A customer's invitations that can still be accepted, newest first. */
  openForCustomer(customerId: string, now: Date): PortalInvitation[] {
    const rows = this.db
      .prepare('SELECT * FROM portal_invitations WHERE customer_id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ? ORDER BY created_at DESC, id')
      .all(customerId, now.toISOString()) as Row[];
    return rows.map((r) => this.toInvitation(r));
  }

  /** Marks an open invitation used; false when it was used, revoked or expired meanwhile. */
  markUsed(id: string, now: Date): boolean {
    const at = now.toISOString();
    return this.db.prepare('UPDATE portal_invitations SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?').run(at, id, at).changes === 1;
  }

  /** Revokes an unused invitation; false when there is none to revoke. */
  revoke(id: string, now: Date): boolean {
    return this.db.prepare('UPDATE portal_invitations SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL').run(now.toISOString(), id).changes === 1;
  }

  /**
   * Deletes invitations that can no longer be used (used, revoked or expired): they only held the
   * invitee's e-mail, which an accepted invitation's user row keeps anyway. A link of a deleted
   * invitation gets the same answer as any other unusable one. Returns how many went.
   */
  purgeClosed(now: Date): number {
    return this.db.prepare('DELETE FROM portal_invitations WHERE used_at IS NOT NULL OR revoked_at IS NOT NULL OR expires_at <= ?').run(now.toISOString()).changes;
  }

  private toInvitation(r: Row): PortalInvitation {
    return {
      id: r.id,
      customerId: r.customer_id,
      email: openPortalEmail(this.cipher, 'portal_invitations', r),
      tokenHash: r.token_hash,
      expiresAt: r.expires_at,
      usedAt: r.used_at,
      revokedAt: r.revoked_at,
      createdBy: r.created_by,
      createdAt: r.created_at,
    };
  }
}
