import type { Me, MeWithTotp } from '../../common/schemas/user';
import { loginSchema } from '../../common/schemas/user';
import { adminRoute, type AdminState, type Session } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { HttpError, tooManyRequests } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import type { UserRepo } from '../users/user-repo';
import { createClientIpResolver } from '../http/client-ip';
import { throttleKeyOfAddress } from './client-address';
import { verifyDummy, verifyPassword } from './password';
import type { SessionManager } from './session-manager';
import { SignInLimiter } from './sign-in-limiter';
import type { PasswordCheckGate } from './password-check-gate';
import type { TwoFactor } from './two-factor';

/** The one answer to a wrong e-mail or password (staff and portal alike). */
export const WRONG_CREDENTIALS = 'The e-mail address or password is wrong.';

/** The public shape of a signed-in user. */
export const meOf = (s: Session): Me => ({ id: s.userId, email: s.email, name: s.name, roles: s.roles });

/** 429 for a throttled sign-in, naming the wait. */
export function tooManyAttempts(waitMs: number): HttpError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const wait = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} second${seconds === 1 ? '' : 's'}`;
  return tooManyRequests(seconds, `Too many failed sign-ins. Wait ${wait}, then try again.`);
}

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
    const address = throttleKeyOfAddress(clientIp(req));
    const wait = limits.retryAfterMs(input.email, address);
    if (wait > 0) throw tooManyAttempts(wait);
    const release = passwordChecks.enter();
    limits.begin(input.email, address);
    let user;
    let ok: boolean;
    try {
      user = users.getForLogin(input.email);
      // Unknown accounts cost the same scrypt as known ones, so timing does not reveal which exist.
      ok = user ? await verifyPassword(input.password, user.passwordHash) : await verifyDummy(input.password);
    } finally {
      release();
    }
    if (!user || !ok) {
      ctx.audit.append({ actor: user?.id ?? 'anonymous', action: 'session.login_failed', target: user?.id ?? null, details: { reason: user ? 'wrong_password' : 'unknown_account' } });
      throw new HttpError(401, 'unauthenticated', WRONG_CREDENTIALS);
    }
    if (user.disabled) {
      ctx.audit.append({ actor: user.id, action: 'session.login_failed', target: user.id, details: { reason: 'disabled' } });
      throw new HttpError(403, 'forbidden', 'This account is disabled. Ask an administrator to enable it.');
    }
    if (twoFactor.enabled(user.id)) {
      if (input.totp === undefined) {
        limits.refund(input.email, address);
        throw new HttpError(401, 'totp_required', 'Enter the code of your authenticator app (or a recovery code).');
      }
      const factor = twoFactor.check(user.id, input.totp);
      if (factor === 'invalid') {
        // The attempt's charge stays: wrong codes count like wrong passwords.
        ctx.audit.append({ actor: user.id, action: 'session.login_failed', target: user.id, details: { reason: 'totp_invalid' } });
        throw new HttpError(401, 'totp_invalid', 'The code is wrong or was used already. Wait for the next code and try again.');
      }
      if (factor === 'recovery_code') {
        ctx.audit.append({ actor: user.id, action: 'totp.recovery_code_used', target: user.id, details: { left: twoFactor.status(user.id, user.roles).recoveryCodesLeft } });
      }
    }
    limits.succeeded(input.email, address);
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
