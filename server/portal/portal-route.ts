import type { HTTPMethod } from 'find-my-way';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PORTAL_API_PREFIX, PORTAL_ROUTES, type PortalRouteKey } from '../../common/portal-access';
import { unauthenticated } from '../http/http-error';
import { requireCsrfHeader } from '../http/csrf';
import type { RouteContext, Router } from '../http/router';

/** The signed-in customer user behind a portal request; `customerId` scopes everything they see. */
export interface PortalSession {
  userId: string;
  customerId: string;
  email: string;
}

/** Resolves the portal's session cookie (`psid`) of a request; null when not signed in. */
export interface PortalSessionResolver {
  resolve(req: IncomingMessage, res: ServerResponse): PortalSession | null;
}

/** Per-request state of the portal listener. */
export interface PortalState {
  resolver: PortalSessionResolver;
}

export type PortalHandler = (ctx: RouteContext<PortalState>, session: PortalSession) => unknown | Promise<unknown>;
export type PortalPublicHandler = (ctx: RouteContext<PortalState>) => unknown | Promise<unknown>;
export type PortalHandlerFor<K extends PortalRouteKey> = (typeof PORTAL_ROUTES)[K] extends 'public' ? PortalPublicHandler : PortalHandler;

/**
 * Declares a portal API route (`'METHOD /portal-api/…'`) from the table in common/portal-access.ts.
 * Every state-changing request must carry `X-Requested-With: creative-engine`, every `customer` one a
 * valid portal session; the handler gets that session and must scope every read and write to
 * `session.customerId` (another customer's id answers 404, never data).
 */
export function portalRoute<K extends PortalRouteKey>(router: Router<PortalState>, route: K, handler: PortalHandlerFor<K>): void {
  const rule = PORTAL_ROUTES[route];
  const [method, path] = route.split(' ') as [HTTPMethod, string];
  router.on(method, path, async (ctx) => {
    requireCsrfHeader(method, ctx.req);
    if (rule === 'public') return (handler as PortalPublicHandler)(ctx);
    const session = ctx.state.resolver.resolve(ctx.req, ctx.res);
    if (!session) throw unauthenticated();
    return (handler as PortalHandler)(ctx, session);
  });
}

/** Throws unless every `/portal-api/` route on the portal router has a rule in PORTAL_ROUTES. */
export function assertEveryPortalRouteRuled(router: Router<PortalState>): void {
  const unruled = router
    .routes()
    .filter((r) => r.path.startsWith(PORTAL_API_PREFIX))
    .map((r) => `${r.method} ${r.path}`)
    .filter((r) => !Object.hasOwn(PORTAL_ROUTES, r));
  if (unruled.length) throw new Error(`Portal routes without a rule in common/portal-access.ts: ${unruled.join(', ')}`);
}
