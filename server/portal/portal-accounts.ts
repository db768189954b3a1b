import { createHash, timingSafeEqual } from 'node:crypto';
import type { PortalMe } from '../../common/schemas/portal-account';
import type { PasswordCheckGate } from '../auth/password-check-gate';
import type { TwoFactor } from '../auth/two-factor';
import { HttpError } from '../http/http-error';
import type { CustomerPrivacyRepo } from '../privacy/customer-privacy-repo';
import type { PortalInvitationRepo } from './portal-invitation-repo';
import type { PortalSessionManager } from './portal-session-manager';
import type { PortalUser, PortalUserRepo } from './portal-user-repo';

/** What the portal's account routes work with (built once in portal-feature.ts). */
export interface PortalAccounts {
  users: PortalUserRepo;
  invitations: PortalInvitationRepo;
  customers: CustomerPrivacyRepo;
  sessions: PortalSessionManager;
  /** Portal users' TOTP (the staff module over the portal tables; never required). */
  twoFactor: TwoFactor;
  /** The server's one cap on password checks at once (shared with staff sign-in). */
  passwordChecks: PasswordCheckGate;
}

/** The audit actor of a customer user (staff actors are bare user ids). */
export const portalActor = (userId: string) => `portal:${userId}`;

/** SHA-256 (hex) of an invitation token: the only form stored. */
export const hashInvitationToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Compares two hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** 403 for a customer whose deletion was requested: its users cannot sign in until erasure. */
export const accountRestricted = () =>
  new HttpError(
    403,
    'portal_account_restricted',
    'This customer account is locked because its deletion was requested; it will be erased when the retention periods end. Contact the agency.',
  );

/** The public shape of a signed-in customer user. */
export function portalMeOf(accounts: PortalAccounts, user: PortalUser): PortalMe {
  const totp = accounts.twoFactor.status(user.id, []);
  return {
    id: user.id,
    email: user.email,
    customerId: user.customerId,
    customerName: accounts.customers.nameAndStatus(user.customerId)?.name ?? '',
    totpEnabled: totp.enabled,
    recoveryCodesLeft: totp.recoveryCodesLeft,
  };
}
