import { setupSchema, type Me, type SetupStatus } from '../../common/schemas/user';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { newId } from '../store/new-id';
import { readJson } from '../http/body';
import { HttpError } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import type { UserRepo } from '../users/user-repo';
import { isLoopback } from './client-address';
import { hashPassword } from './password';
import type { SessionManager } from './session-manager';

/**
 * First run: GET /api/setup tells the console whether any account exists; POST /api/setup creates the
 * first admin — only while there is none, and only from this machine — and signs them in.
 */
export function registerSetupRoutes(ctx: AppContext, admin: Router<AdminState>, sessions: SessionManager, users: UserRepo): void {

  adminRoute(admin, 'GET /api/setup', ({ req }): SetupStatus => ({
    needsSetup: users.count() === 0,
    canSetupHere: isLoopback(req.socket.remoteAddress),
  }));

  adminRoute(admin, 'POST /api/setup', async ({ req }) => {
    const input = await readJson(req, setupSchema);
    const done = () => new HttpError(409, 'setup_done', 'Setup is already done. Sign in, or ask an administrator for an account.');
    if (users.count() > 0) throw done();
    if (!isLoopback(req.socket.remoteAddress)) {
      throw new HttpError(403, 'setup_local_only', 'The first account can only be created on the server machine itself (open the console via localhost, or run `creative-engine init`).');
    }
    const passwordHash = await hashPassword(input.password);
    const id = newId('user');
    const at = ctx.now().toISOString();
    // Re-check inside the transaction: two first-run requests must not both create an admin.
    const user = ctx.db.transaction(() => {
      if (users.count() > 0) throw done();
      const created = users.insert({ id, email: input.email, name: input.name, passwordHash, roles: ['admin'], at });
      ctx.audit.append({ actor: id, action: 'user.create', target: id, details: { fields: ['email', 'name', 'password', 'roles'], roles: ['admin'], via: 'setup' } });
      return created;
    }).immediate();
    const cookie = sessions.create(user.id);
    ctx.audit.append({ actor: user.id, action: 'session.login', target: user.id });
    const me: Me = { id: user.id, email: user.email, name: user.name, roles: user.roles };
    return reply(201, me, { 'set-cookie': cookie, 'cache-control': 'no-store' });
  });
}
