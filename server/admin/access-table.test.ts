/**
 * The role/access table (common/access.ts) against the real server: for every role and every admin
 * route, the server answers 403 exactly when the table says the role may not call it; every route
 * in the table exists; no route exists outside it; every console area's first call is allowed to
 * every role the console shows that area to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROUTES, AREAS, can, type AdminRouteKey, type RouteRule } from '../../common/access';
import { ROLES, type Role } from '../../common/roles';
import { anonymousClient, signInAs, type AdminClient, type ApiResponse } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { Router } from '../http/router';
import { adminRoute, assertEveryRouteRuled, type AdminState } from './admin-route';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.dispose());

/** Calls a route with a well-formed id that names nothing and an empty JSON object as body. */
function call(client: AdminClient, route: AdminRouteKey): Promise<ApiResponse> {
  const [method, path] = route.split(' ') as [string, string];
  const url = path.replace(/:id/g, 'x1');
  return client.request(method, url, method === 'GET' || method === 'DELETE' ? {} : { json: {} });
}

/** Whether the table lets someone holding `roles` past a route's gate. */
const allows = (rule: RouteRule, roles: Role[]) => rule === 'public' || rule === 'signedIn' || can(roles, rule);

// Signing out ends the session the other calls use: walk it last.
const ROUTES = (Object.keys(ADMIN_ROUTES) as AdminRouteKey[]).sort((a, b) => Number(a === 'DELETE /api/session') - Number(b === 'DELETE /api/session'));

describe('the access table, enforced by the server', () => {
  it.each(ROLES)('answers 403 to %s exactly where the table says no', async (role) => {
    const client = await signInAs(app, role);
    const wrong: string[] = [];
    for (const route of ROUTES) {
      const res = await call(client, route);
      const expected = allows(ADMIN_ROUTES[route], [role]);
      if ((res.status === 403) === expected) wrong.push(`${route}: ${res.status} ${JSON.stringify(res.body)} (table: ${expected ? 'allowed' : 'denied'})`);
    }
    expect(wrong).toEqual([]);
  });

  it('lists exactly the routes the admin listener serves', () => {
    const served = app.routes.admin.map((r) => `${r.method} ${r.path}`);
    expect([...served].sort()).toEqual(Object.keys(ADMIN_ROUTES).sort());
  });

  it('answers 401 without a session on every route but the public ones', async () => {
    const nobody = anonymousClient(app);
    const wrong: string[] = [];
    for (const route of ROUTES) {
      const res = await call(nobody, route);
      if ((res.status === 401) !== (ADMIN_ROUTES[route] !== 'public')) wrong.push(`${route}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lets every role the console shows an area to make that area’s first call', async () => {
    const clients = new Map<Role, AdminClient>();
    for (const role of ROLES) clients.set(role, await signInAs(app, role));
    const wrong: string[] = [];
    for (const [area, { roles, loads }] of Object.entries(AREAS)) {
      for (const role of roles) {
        const res = await call(clients.get(role)!, loads);
        if (res.status === 401 || res.status === 403) wrong.push(`${area} (${loads}) as ${role}: ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('refuses to start with an admin route the table has no rule for', () => {
    const router = new Router<AdminState>();
    adminRoute(router, 'GET /api/me', () => null);
    expect(() => assertEveryRouteRuled(router)).not.toThrow();
    router.get('/api/sneaky', () => ({ secret: true }));
    expect(() => assertEveryRouteRuled(router)).toThrow('Admin routes without a rule in common/access.ts: GET /api/sneaky');
  });
});
