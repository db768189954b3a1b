import type { Feature } from '../app-context';
import { registerUserRoutes } from '../users/user-routes';
import { SessionManager } from './session-manager';
import { registerSessionRoutes } from './session-routes';
import { registerSetupRoutes } from './setup-routes';

/** Expired sessions are purged this often (and at each sign-in). */
const PURGE_INTERVAL_MS = 10 * 60 * 1000;

/** Staff accounts and sessions: sign-in, first-run setup, user administration; sets ctx.sessions. */
export const authFeature: Feature = (ctx, { admin }) => {
  const sessions = new SessionManager(ctx.db, ctx.now, ctx.config.tls);
  ctx.sessions = sessions;
  sessions.purge();
  const timer = setInterval(() => sessions.purge(), PURGE_INTERVAL_MS);
  timer.unref();
  ctx.onStop(() => clearInterval(timer));
  registerSessionRoutes(ctx, admin, sessions);
  registerSetupRoutes(ctx, admin, sessions);
  registerUserRoutes(ctx, admin, sessions);
};
