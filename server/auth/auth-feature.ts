import type { AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import type { Router } from '../http/router';
import type { FieldCipher } from '../privacy/field-cipher';
import { UserRepo } from '../users/user-repo';
import { registerUserRoutes } from './user-routes';
import type { PasswordCheckGate } from './password-check-gate';
import { SessionManager } from './session-manager';
import { registerSessionRoutes } from './session-routes';
import { registerSetupRoutes } from './setup-routes';
import { registerTotpRoutes } from './totp-routes';
import { TwoFactor } from './two-factor';

/** Expired sessions are purged this often (and at each sign-in). */
const PURGE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Staff accounts and sessions: sign-in, first-run setup, user administration; returns the sessions
 * the admin listener resolves. Sign-ins share `passwordChecks` with the portal's. Staff e-mails are
 * encrypted with `cipher`; first encrypts the e-mails of accounts stored in plain text before
 * migration 033.
 */
export function startAuth(ctx: AppContext, admin: Router<AdminState>, cipher: FieldCipher, passwordChecks: PasswordCheckGate): SessionManager {
  const users = new UserRepo(ctx.db, cipher);
  const converted = ctx.db.transaction(() => {
    const count = users.encryptLegacyRows();
    if (count > 0) ctx.audit.append({ actor: 'system', action: 'privacy.encrypt-legacy', details: { users: count } });
    return count;
  })();
  if (converted > 0) {
    // The plain text lingers in the WAL until a checkpoint (freed pages are zeroed: secure_delete).
    ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    ctx.log.info('encrypted staff e-mails stored in plain text by an older version', { users: converted });
  }
  const twoFactor = new TwoFactor(ctx.db, cipher, ctx.now);
  const sessions = new SessionManager(ctx.db, users, ctx.now, ctx.config.tls, twoFactor);
  sessions.purge();
  const timer = setInterval(() => sessions.purge(), PURGE_INTERVAL_MS);
  timer.unref();
  ctx.onStop(() => clearInterval(timer));
  registerSessionRoutes(ctx, admin, { sessions, users, twoFactor, passwordChecks });
  registerTotpRoutes(ctx, admin, sessions, users, twoFactor);
  registerSetupRoutes(ctx, admin, sessions, users);
  registerUserRoutes(ctx, admin, sessions, users);
  return sessions;
}
