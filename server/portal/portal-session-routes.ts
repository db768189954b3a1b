import { loginSchema } from '../../common/schemas/user';
import { portalPasswordChangeSchema, type PortalMe } from '../../common/schemas/portal-account';
import type { AppContext } from '../app-context';
import { ACCOUNT_ADDRESS_RULE, LoginThrottle } from '../auth/login-throttle';
import { hashPassword, verifyPassword } from '../auth/password';
import { checkSignIn } from '../auth/sign-in-check';
import { SignInLimiter } from '../auth/sign-in-limiter';
import { readJson } from '../http/body';
import { createClientIpResolver } from '../http/client-ip';
import { HttpError, notFound, tooManyRequests, unauthenticated } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import { accountRestricted, portalActor, portalMeOf, type PortalAccounts } from './portal-accounts';
import { portalRoute, type PortalState } from './portal-route';

/**
 * POST/DELETE /portal-api/session, GET /portal-api/me, PUT /portal-api/me/password. Sign-in follows
 * the staff rules (server/auth/session-routes.ts): the same three-layer limits, the same cost for
 * unknown accounts, the server's one cap on parallel password checks, 401 totp_required / totp_invalid, recovery codes.
 */
export function registerPortalSessionRoutes(ctx: AppContext, portal: Router<PortalState>, accounts: PortalAccounts): void {
  const { users, customers, sessions, twoFactor } = accounts;
  const limits = new SignInLimiter(() => ctx.now().getTime());
  const clientIp = createClientIpResolver(ctx.config.trustProxy);
  // Password checks of a signed-in user (changing it): limited per user like sign-ins.
  const passwordGuesses = new LoginThrottle(ACCOUNT_ADDRESS_RULE, () => ctx.now().getTime());

  const failed = (actor: string, target: string | null, reason: string) =>
    ctx.audit.append({ actor, action: 'portal.login_failed', target, details: { reason } });

  portalRoute(portal, 'POST /portal-api/session', async ({ req }) => {
    const input = await readJson(req, loginSchema);
    const user = await checkSignIn(req, input, {
      limits,
      passwordChecks: accounts.passwordChecks,
      twoFactor,
      clientIp,
      lookup: (email) => users.getForLogin(email),
      refusal: (u) => {
        if (u.disabled) return { reason: 'disabled', error: new HttpError(403, 'account_disabled', 'This account is disabled. Ask the agency to enable it.') };
        if (customers.nameAndStatus(u.customerId)?.status !== 'active') return { reason: 'customer_restricted', error: accountRestricted() };
        return null;
      },
      failed: (u, reason) => failed(u ? portalActor(u.id) : 'anonymous', u?.id ?? null, reason),
      recoveryCodeUsed: (u) => ctx.audit.append({ actor: portalActor(u.id), action: 'portal.totp.recovery_code_used', target: u.id, details: { left: twoFactor.status(u.id, []).recoveryCodesLeft } }),
    });
    const actor = portalActor(user.id);
    sessions.end(req); // a session the browser still had is replaced, never reused
    sessions.purge();
    const cookie = sessions.create(user.id);
    const at = ctx.now().toISOString();
    users.recordSignIn(user.id, at);
    ctx.audit.append({ actor, action: 'portal.login', target: user.id, details: { customerId: user.customerId, secondFactor: twoFactor.enabled(user.id) } });
    return reply(200, portalMeOf(accounts, user), { 'set-cookie': cookie, 'cache-control': 'no-store' });
  });

  // Public so that a browser with an expired session can still clear its cookie.
  portalRoute(portal, 'DELETE /portal-api/session', ({ req, res }) => {
    const session = sessions.resolve(req, res);
    sessions.end(req);
    if (session) ctx.audit.append({ actor: portalActor(session.userId), action: 'portal.logout', target: session.userId });
    return reply(204, undefined, { 'set-cookie': sessions.clearCookie() });
  });

  portalRoute(portal, 'GET /portal-api/me', (_ctx, session): PortalMe => {
    const user = users.get(session.userId);
    if (!user) throw unauthenticated();
    return portalMeOf(accounts, user);
  });

  portalRoute(portal, 'PUT /portal-api/me/password', async ({ req }, session) => {
    const input = await readJson(req, portalPasswordChangeSchema);
    const wait = passwordGuesses.retryAfterMs(session.userId);
    if (wait > 0) throw tooManyRequests(Math.ceil(wait / 1000), 'Too many wrong passwords. Wait, then try again.');
    passwordGuesses.fail(session.userId);
    const user = users.getWithHash(session.userId);
    if (!user) throw notFound('The account');
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      ctx.audit.append({ actor: portalActor(user.id), action: 'portal.password_change_failed', target: user.id });
      throw new HttpError(401, 'password_wrong', 'The current password is wrong.');
    }
    passwordGuesses.reset(session.userId);
    const passwordHash = await hashPassword(input.newPassword);
    ctx.db
      .transaction(() => {
        users.setPasswordHash(user.id, passwordHash, ctx.now().toISOString());
        // Whoever knew the old password is signed out everywhere else.
        const ended = sessions.endAllFor(user.id, req);
        ctx.audit.append({ actor: portalActor(user.id), action: 'portal.password_changed', target: user.id, details: { otherSessionsEnded: ended } });
      })
      .immediate();
    return reply(204);
  });
}
