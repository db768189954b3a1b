import type { Me, MeWithTotp } from '../../common/schemas/user';
import { loginSchema } from '../../common/schemas/user';
import { adminRoute, type AdminState, type Session } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { HttpError } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import type { UserRepo } from '../users/user-repo';
import { createClientIpResolver } from '../http/client-ip';
import type { SessionManager } from './session-manager';
import { SignInLimiter } from './sign-in-limiter';
import type { PasswordCheckGate } from './password-check-gate';
import { checkSignIn } from './sign-in-check';
import type { TwoFactor } from './two-factor';

/** The public shape of a signed-in user. */
export const meOf = (s: Session): Me => ({ id: s.userId, email: s.email, name: s.name, roles: s.roles });

/** POST /api/session (sign in), DELETE /api/session (sign out), GET /api/me. */
export function registerSessionRoutes(
  ctx: AppContext,
  admin: Router<AdminState>,
  deps: { sessions: SessionManager; users: UserRepo; twoFactor: TwoFactor; passwordChecks: PasswordCheckGate },
): void {
  const { sessions, users, twoFactor, passwordChecks } = deps;
  const limits = new SignInLimiter(() => ctx.now().getTime());
  // Behind a trusted proxy (--trust-proxy) the client is the address it forwards; otherwise every
  // sign-in through the proxy would share one address and one stranger could lock everyone out.
  const clientIp = createClientIpResolver(ctx.config.trustProxy);

  adminRoute(admin, 'POST /api/session', async ({ req }) => {
    const input = await readJson(req, loginSchema);
    const user = await checkSignIn(req, input, {
      limits,
      passwordChecks,
      twoFactor,
      clientIp,
      lookup: (email) => users.getForLogin(email),
      refusal: (u) => (u.disabled ? { reason: 'disabled', error: new HttpError(403, 'account_disabled', 'This account is disabled. Ask an administrator to enable it.') } : null),
      failed: (u, reason) => ctx.audit.append({ actor: u?.id ?? 'anonymous', action: 'session.login_failed', target: u?.id ?? null, details: { reason } }),
      recoveryCodeUsed: (u) => ctx.audit.append({ actor: u.id, action: 'totp.recovery_code_used', target: u.id, details: { left: twoFactor.status(u.id, u.roles).recoveryCodesLeft } }),
    });
    sessions.end(req); // a session the browser still had is replaced, never reused
    sessions.purge();
    const cookie = sessions.create(user.id);
    const totp = twoFactor.status(user.id, user.roles);
    ctx.audit.append({ actor: user.id, action: 'session.login', target: user.id, details: { secondFactor: totp.enabled, ...(totp.required && !totp.enabled ? { totpEnrolmentDue: true } : {}) } });
    const me: MeWithTotp = { id: user.id, email: user.email, name: user.name, roles: user.roles, totp };
    return reply(200, me, { 'set-cookie': cookie, 'cache-control': 'no-store' });
  });

  adminRoute(admin, 'DELETE /api/session', ({ req }, session) => {
    sessions.end(req);
    ctx.audit.append({ actor: session.userId, action: 'session.logout', target: session.userId });
    return reply(204, undefined, { 'set-cookie': sessions.clearCookie() });
  });

  adminRoute(admin, 'GET /api/me', (_ctx, session): MeWithTotp => ({ ...meOf(session), totp: twoFactor.status(session.userId, session.roles) }));
}
