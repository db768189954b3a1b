import type { HTTPMethod } from 'find-my-way';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN_ROUTES, allowedWhileEnrolmentDue, rolesFor, type AdminRouteKey, type RouteRule } from '../../common/access';
import type { Role } from '../../common/roles';
import { HttpError, forbidden, unauthenticated } from '../http/http-error';
import { requireCsrfHeader } from '../http/csrf';
import type { RouteContext, Router } from '../http/router';

/** The signed-in staff member behind an admin request. */
export interface Session {
  userId: string;
  email: string;
  name: string;
  roles: Role[];
  /** Their role (or the setting for everyone) requires two-factor sign-in and they have not set it up: only enrolment routes are open. */
  totpEnrolmentDue?: boolean;
}

/** Resolves the session cookie of a request (and refreshes its idle expiry); null when not signed in. */
export interface SessionResolver {
  resolve(req: IncomingMessage, res: ServerResponse): Session | null;
}

export interface AdminState {
  resolver: SessionResolver;
}

export type AdminHandler = (ctx: RouteContext<AdminState>, session: Session) => unknown | Promise<unknown>;
export type PublicHandler = (ctx: RouteContext<AdminState>) => unknown | Promise<unknown>;
/** A public route's handler gets no session; every other one gets the signed-in staff member. */
export type HandlerFor<K extends AdminRouteKey> = (typeof ADMIN_ROUTES)[K] extends 'public' ? PublicHandler : AdminHandler;

/**
 * Declares an admin API route (`'METHOD /path'`); who may call it comes from the access table
 * (common/access.ts ADMIN_ROUTES). Every state-changing request must carry
 * `X-Requested-With: creative-engine` (public ones too), every non-public one a valid session.
 */
export function adminRoute<K extends AdminRouteKey>(router: Router<AdminState>, route: K, handler: HandlerFor<K>): void {
  const rule: RouteRule = ADMIN_ROUTES[route];
  const allowed = rolesFor(rule);
  const [method, path] = route.split(' ') as [HTTPMethod, string];
  router.on(method, path, async (ctx) => {
    requireCsrfHeader(method, ctx.req);
    if (rule === 'public') return (handler as PublicHandler)(ctx);
    const session = ctx.state.resolver.resolve(ctx.req, ctx.res);
    if (!session) throw unauthenticated();
    if (session.totpEnrolmentDue && !allowedWhileEnrolmentDue(route)) {
      throw new HttpError(403, 'totp_enrolment_required', 'Set up two-factor sign-in first (POST /api/me/totp, then /api/me/totp/confirm).');
    }
    if (allowed && !session.roles.some((r) => allowed.includes(r))) throw forbidden();
    return (handler as AdminHandler)(ctx, session);
  });
}

/** Throws unless every route on the admin router has a rule in the access table (none was added around adminRoute). */
export function assertEveryRouteRuled(router: Router<AdminState>): void {
  const unruled = router.routes().map((r) => `${r.method} ${r.path}`).filter((r) => !Object.hasOwn(ADMIN_ROUTES, r));
  if (unruled.length) throw new Error(`Admin routes without a rule in common/access.ts: ${unruled.join(', ')}`);
}
