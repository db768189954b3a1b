import type { PortalTotpStatus } from '../../common/schemas/portal-account';
import { totpConfirmSchema, totpDisableSchema } from '../../common/schemas/user';
import type { AppContext } from '../app-context';
import { ACCOUNT_ADDRESS_RULE, LoginThrottle } from '../auth/login-throttle';
import { verifyPassword } from '../auth/password';
import { readJson } from '../http/body';
import { HttpError, tooManyRequests } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import { portalActor, type PortalAccounts } from './portal-accounts';
import { portalRoute, type PortalState } from './portal-route';

const wrongCode = () => new HttpError(401, 'totp_invalid', 'The code is wrong or was used already. Wait for the next code and try again.');

/**
 * A customer user's own two-factor sign-in (optional, never required): status, enrolment,
 * confirmation with the first code (→ recovery codes, shown once), switching off with the password or
 * a code. The staff module (server/auth/two-factor.ts) does the work over the portal's tables.
 */
export function registerPortalTotpRoutes(ctx: AppContext, portal: Router<PortalState>, accounts: PortalAccounts): void {
  const { users, twoFactor } = accounts;
  const guesses = new LoginThrottle(ACCOUNT_ADDRESS_RULE, () => ctx.now().getTime());
  const charge = (userId: string) => {
    const wait = guesses.retryAfterMs(userId);
    if (wait > 0) throw tooManyRequests(Math.ceil(wait / 1000), 'Too many wrong codes. Wait, then try again.');
    guesses.fail(userId);
  };

  portalRoute(portal, 'GET /portal-api/me/totp', (_ctx, session): PortalTotpStatus => {
    const { enabled, recoveryCodesLeft } = twoFactor.status(session.userId, []);
    return { enabled, recoveryCodesLeft };
  });

  portalRoute(portal, 'POST /portal-api/me/totp', (_ctx, session) => {
    const enrolment = twoFactor.begin(session.userId, session.email);
    if (!enrolment) throw new HttpError(409, 'totp_already_on', 'Two-factor sign-in is already on. Switch it off first to set up a new authenticator.');
    ctx.audit.append({ actor: portalActor(session.userId), action: 'portal.totp.enrolment_started', target: session.userId });
    return reply(201, enrolment, { 'cache-control': 'no-store' });
  });

  portalRoute(portal, 'POST /portal-api/me/totp/confirm', async ({ req }, session) => {
    const { code } = await readJson(req, totpConfirmSchema);
    charge(session.userId);
    const codes = twoFactor.confirm(session.userId, code);
    if (codes === 'none_pending') throw new HttpError(409, 'totp_not_pending', 'There is no enrolment to confirm. Start one with POST /portal-api/me/totp.');
    if (codes === null) {
      ctx.audit.append({ actor: portalActor(session.userId), action: 'portal.totp.confirm_failed', target: session.userId });
      throw wrongCode();
    }
    guesses.reset(session.userId);
    ctx.audit.append({ actor: portalActor(session.userId), action: 'portal.totp.enrolled', target: session.userId });
    return reply(200, { recoveryCodes: codes }, { 'cache-control': 'no-store' });
  });

  portalRoute(portal, 'DELETE /portal-api/me/totp', async ({ req }, session) => {
    const input = await readJson(req, totpDisableSchema);
    if (!twoFactor.enabled(session.userId)) throw new HttpError(409, 'totp_not_on', 'Two-factor sign-in is not on.');
    charge(session.userId);
    const user = input.code === undefined ? users.getWithHash(session.userId) : null;
    const ok =
      input.code !== undefined ? twoFactor.check(session.userId, input.code) !== 'invalid' : user !== null && (await verifyPassword(input.password!, user.passwordHash));
    if (!ok) {
      ctx.audit.append({ actor: portalActor(session.userId), action: 'portal.totp.disable_failed', target: session.userId, details: { with: input.code !== undefined ? 'code' : 'password' } });
      if (input.code !== undefined) throw wrongCode();
      throw new HttpError(401, 'password_wrong', 'The password is wrong.');
    }
    guesses.reset(session.userId);
    twoFactor.remove(session.userId);
    ctx.audit.append({ actor: portalActor(session.userId), action: 'portal.totp.disabled', target: session.userId });
    return reply(204);
  });
}
