import { listQuerySchema } from '../../common/schemas/paging';
import { isId } from '../../common/schemas/ids';
import { userCreateSchema, userPatchSchema, type User } from '../../common/schemas/user';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { hashPassword } from './password';
import type { SessionManager } from './session-manager';
import { newId } from '../store/new-id';
import { parseWith, readJson } from '../http/body';
import { HttpError, notFound } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import type { UserRepo } from '../users/user-repo';

const emailTaken = () => new HttpError(409, 'email_taken', 'An account with this e-mail address already exists.');

/** Staff accounts (admin only): GET/POST /api/users, GET/PATCH /api/users/:id. */
export function registerUserRoutes(ctx: AppContext, admin: Router<AdminState>, sessions: SessionManager, users: UserRepo): void {
  const find = (id: string | undefined): User => {
    const user = isId('user', id) ? users.get(id) : null;
    if (!user) throw notFound('The user account');
    return user;
  };

  adminRoute(admin, 'GET /api/users', ({ query }) => users.list(parseWith(listQuerySchema, Object.fromEntries(query))));

  adminRoute(admin, 'GET /api/users/:id', ({ params }) => find(params.id));

  adminRoute(admin, 'POST /api/users', async ({ req }, session) => {
    const input = await readJson(req, userCreateSchema);
    if (users.emailTaken(input.email)) throw emailTaken();
    const passwordHash = await hashPassword(input.password);
    const id = newId('user');
    const user = ctx.db.transaction(() => {
      if (users.emailTaken(input.email)) throw emailTaken(); // someone else was faster during the hash
      const created = users.insert({ id, email: input.email, name: input.name, passwordHash, roles: input.roles, at: ctx.now().toISOString() });
      ctx.audit.append({ actor: session.userId, action: 'user.create', target: id, details: { fields: ['email', 'name', 'password', 'roles'], roles: input.roles } });
      return created;
    }).immediate();
    return reply(201, user);
  });

  adminRoute(admin, 'PATCH /api/users/:id', async ({ req, params }, session) => {
    const before = find(params.id);
    const input = await readJson(req, userPatchSchema);
    const self = before.id === session.userId;
    if (self && input.roles && !input.roles.includes('admin')) throw new HttpError(409, 'own_admin_role', 'You cannot remove your own admin role. Ask another administrator.');
    if (self && input.disabled === true) throw new HttpError(409, 'own_account_disabled', 'You cannot disable your own account. Ask another administrator.');
    const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
    const rolesChanged = input.roles !== undefined && [...input.roles].sort().join() !== [...before.roles].sort().join();
    const fields = [
      ...(input.name !== undefined && input.name !== before.name ? ['name'] : []),
      ...(rolesChanged ? ['roles'] : []),
      ...(input.disabled !== undefined && input.disabled !== before.disabled ? ['disabled'] : []),
      ...(passwordHash ? ['password'] : []),
    ];
    const after = ctx.db.transaction(() => {
      const updated = users.update(before.id, { name: input.name, roles: input.roles, disabled: input.disabled, passwordHash }, ctx.now().toISOString());
      if (!updated) throw notFound('The user account');
      // New roles, a new password or a disabled account: sessions signed in under the old state end.
      if (rolesChanged || passwordHash || input.disabled === true) sessions.endAllFor(before.id, self ? req : undefined);
      ctx.audit.append({
        actor: session.userId,
        action: 'user.update',
        target: before.id,
        details: { fields, ...(rolesChanged ? { roles: updated.roles } : {}) },
      });
      return updated;
    }).immediate();
    return after;
  });
}
