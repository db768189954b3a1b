import { isId } from '../../common/schemas/ids';
import { securitySettingsSchema, totpConfirmSchema, totpDisableSchema, type SecuritySettings } from '../../common/schemas/user';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { HttpError, notFound, tooManyRequests } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import type { UserRepo } from '../users/user-repo';
import { ACCOUNT_ADDRESS_RULE, LoginThrottle } from './login-throttle';
import { verifyPassword } from './password';
import type { SessionManager } from './session-manager';
import type { TwoFactor } from './two-factor';

const wrongCode = () => new HttpError(401, 'totp_invalid', 'The code is wrong or was used already. Wait for the next code and try again.');

/**
 * Two-factor sign-in (TOTP): one's own enrolment, confirmation and switching off; an admin's reset
 * of someone's; the setting that requires it of everyone. Codes and secrets never reach the audit log.
 */
export function registerTotpRoutes(ctx: AppContext, admin: Router<AdminState>, sessions: SessionManager, users: UserRepo, twoFactor: TwoFactor): void {
  // Confirming and switching off take codes or the password from a signed-in session: limited per user like sign-ins.
  const guesses = new LoginThrottle(ACCOUNT_ADDRESS_RULE, () => ctx.now().getTime());
  const charge = (userId: string) => {
    const wait = guesses.retryAfterMs(userId);
    if (wait > 0) throw tooManyRequests(Math.ceil(wait / 1000), 'Too many wrong codes. Wait, then try again.');
    guesses.fail(userId);
  };

  adminRoute(admin, 'POST /api/me/totp', (_ctx, session) => {
    const enrolment = twoFactor.begin(session.userId, session.email);
    if (!enrolment) throw new HttpError(409, 'totp_already_on', 'Two-factor sign-in is already on. Switch it off first to set up a new authenticator.');
    ctx.audit.append({ actor: session.userId, action: 'totp.enrolment_started', target: session.userId });
    return reply(201, enrolment, { 'cache-control': 'no-store' });
  });

  adminRoute(admin, 'POST /api/me/totp/confirm', async ({ req }, session) => {
    const { code } = await readJson(req, totpConfirmSchema);
    charge(session.userId);
    const codes = twoFactor.confirm(session.userId, code);
    if (codes === 'none_pending') throw new HttpError(409, 'totp_not_pending', 'There is no enrolment to confirm. Start one with POST /api/me/totp.');
    if (codes === null) {
      ctx.audit.append({ actor: session.userId, action: 'totp.confirm_failed', target: session.userId });
      throw wrongCode();
    }
    guesses.reset(session.userId);
    ctx.audit.append({ actor: session.userId, action: 'totp.enrolled', target: session.userId });
    return reply(200, { recoveryCodes: codes }, { 'cache-control': 'no-store' });
  });

  adminRoute(admin, 'DELETE /api/me/totp', async ({ req }, session) => {
    const input = await readJson(req, totpDisableSchema);
    if (!twoFactor.enabled(session.userId)) throw new HttpError(409, 'totp_not_on', 'Two-factor sign-in is not on.');
    if (twoFactor.required(session.roles)) throw new HttpError(409, 'totp_required_by_role', 'Your role requires two-factor sign-in; it cannot be switched off.');
    charge(session.userId);
    const user = input.code === undefined ? users.getForLogin(session.email) : null;
    const ok =
      input.code !== undefined ? twoFactor.check(session.userId, input.code) !== 'invalid' : user !== null && (await verifyPassword(input.password!, user.passwordHash));
    if (!ok) {
      ctx.audit.append({ actor: session.userId, action: 'totp.disable_failed', target: session.userId, details: { with: input.code !== undefined ? 'code' : 'password' } });
      if (input.code !== undefined) throw wrongCode();
      throw new HttpError(401, 'password_wrong', 'The password is wrong.');
    }
    guesses.reset(session.userId);
    twoFactor.remove(session.userId);
    ctx.audit.append({ actor: session.userId, action: 'totp.disabled', target: session.userId });
    return reply(204);
  });

  adminRoute(admin, 'DELETE /api/users/:id/totp', ({ req, params }, session) => {
    const user = isId('user', params.id) ? users.get(params.id) : null;
    if (!user) throw notFound('The user account');
    ctx.db.transaction(() => {
      const had = twoFactor.remove(user.id);
      // Whoever signed in with the old authenticator signs in again (and enrols anew where required).
      if (had) sessions.endAllFor(user.id, user.id === session.userId ? req : undefined);
      ctx.audit.append({ actor: session.userId, action: 'totp.reset', target: user.id, details: { hadTotp: had } });
    }).immediate();
    return reply(204);
  });

  adminRoute(admin, 'GET /api/settings/security', (): SecuritySettings => ({ totpRequiredForAll: twoFactor.requiredForAll() }));

  adminRoute(admin, 'PUT /api/settings/security', async ({ req }, session): Promise<SecuritySettings> => {
    const input = await readJson(req, securitySettingsSchema);
    // Requiring it of everyone would otherwise lock the admin who asks out of this very setting.
    if (input.totpRequiredForAll && !twoFactor.enabled(session.userId)) {
      throw new HttpError(409, 'totp_own_first', 'Set up two-factor sign-in for your own account before requiring it of everyone.');
    }
    ctx.db.transaction(() => {
      twoFactor.setRequiredForAll(input.totpRequiredForAll);
      ctx.audit.append({ actor: session.userId, action: 'settings.security', details: { totpRequiredForAll: input.totpRequiredForAll } });
    }).immediate();
    return { totpRequiredForAll: twoFactor.requiredForAll() };
  });
}
