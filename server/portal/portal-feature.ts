import type { AppContext, Routers } from '../app-context';
import type { PasswordCheckGate } from '../auth/password-check-gate';
import { PORTAL_TOTP, TwoFactor } from '../auth/two-factor';
import { createMailer } from '../mail/mailer';
import { CustomerPrivacyRepo } from '../privacy/customer-privacy-repo';
import type { FieldCipher } from '../privacy/field-cipher';
import { registerInvitationRoutes } from './invitation-routes';
import type { PortalAccounts } from './portal-accounts';
import { registerPortalAdminRoutes } from './portal-admin-routes';
import { PortalInvitationRepo } from './portal-invitation-repo';
import type { PortalSessionResolver } from './portal-route';
import { PortalSessionManager } from './portal-session-manager';
import { registerPortalSessionRoutes } from './portal-session-routes';
import { registerPortalTotpRoutes } from './portal-totp-routes';
import { PortalUserRepo } from './portal-user-repo';

/** Expired portal sessions (also at each sign-in, as staff sessions) and closed invitations are purged this often. */
const PURGE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * The customer portal's accounts: customer users, invitations, their sessions and two-factor
 * sign-in, and the staff routes that manage them. Customer users' e-mails are encrypted with
 * `cipher`; invitations are e-mailed through ctx.config.mail when configured; sign-ins share
 * `passwordChecks` with staff sign-in. Returns the sessions the
 * portal listener resolves.
 */
export function startPortal(ctx: AppContext, routers: Routers, deps: { cipher: FieldCipher; passwordChecks: PasswordCheckGate }): PortalSessionResolver {
  const users = new PortalUserRepo(ctx.db, deps.cipher);
  const customers = new CustomerPrivacyRepo(ctx.db, deps.cipher);
  const accounts: PortalAccounts = {
    users,
    invitations: new PortalInvitationRepo(ctx.db, deps.cipher),
    customers,
    sessions: new PortalSessionManager(ctx.db, users, customers, ctx.now, ctx.config.tls),
    twoFactor: new TwoFactor(ctx.db, deps.cipher, ctx.now, PORTAL_TOTP),
    passwordChecks: deps.passwordChecks,
  };
  // Expired sessions, and invitations that can no longer be used (they hold the invitee's e-mail).
  const purge = () => {
    accounts.sessions.purge();
    accounts.invitations.purgeClosed(ctx.now());
  };
  purge();
  const timer = setInterval(purge, PURGE_INTERVAL_MS);
  timer.unref();
  ctx.onStop(() => clearInterval(timer));
  const mailer = ctx.config.mail ? createMailer(ctx.config.mail, ctx.log) : null;
  if (mailer) ctx.onStop(() => mailer.close());

  registerInvitationRoutes(ctx, routers.portal, accounts);
  registerPortalSessionRoutes(ctx, routers.portal, accounts);
  registerPortalTotpRoutes(ctx, routers.portal, accounts);
  registerPortalAdminRoutes(ctx, routers.admin, accounts, mailer);
  return accounts.sessions;
}
