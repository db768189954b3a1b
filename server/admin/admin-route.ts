import type { HTTPMethod } from 'find-my-way';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CSRF_HEADER, CSRF_HEADER_VALUE, type Role } from '../../common/roles';
import { HttpError, forbidden, unauthenticated } from '../http/http-error';
import type { RouteContext, Router } from '../http/router';

/** The signed-in staff member behind an admin request. */
export interface Session {
  userId: string;
  email: string;
  name: string;
  roles: Role[];
}

/** Resolves the session cookie of a request (and refreshes its idle expiry); null when not signed in. */
export interface SessionResolver {
  resolve(req: IncomingMessage, res: ServerResponse): Session | null;
}

export interface AdminState {
  resolver: SessionResolver;
}

/** Who may call a route: `public` (no session), `any` signed-in user, or a list of roles. */
export type Access = 'public' | 'any' | readonly Role[];

export type AdminHandler = (ctx: RouteContext<AdminState>, session: Session) => unknown | Promise<unknown>;
export type PublicHandler = (ctx: RouteContext<AdminState>) => unknown | Promise<unknown>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Declares an admin API route with the roles that may call it. Every state-changing request must
 * carry `X-Requested-With: creative-engine` (public ones too), every non-public one a valid session.
 */
export function adminRoute(router: Router<AdminState>, method: HTTPMethod, path: string, access: 'public', handler: PublicHandler): void;
export function adminRoute(router: Router<AdminState>, method: HTTPMethod, path: string, access: Exclude<Access, 'public'>, handler: AdminHandler): void;
export function adminRoute(router: Router<AdminState>, method: HTTPMethod, path: string, access: Access, handler: AdminHandler | PublicHandler): void {
  router.on(method, path, async (ctx) => {
    if (!SAFE_METHODS.has(method) && ctx.req.headers[CSRF_HEADER] !== CSRF_HEADER_VALUE) {
      throw new HttpError(403, 'csrf_header_missing', `State-changing requests need the header X-Requested-With: ${CSRF_HEADER_VALUE}.`);
    }
    if (access === 'public') return (handler as PublicHandler)(ctx);
    const session = ctx.state.resolver.resolve(ctx.req, ctx.res);
    if (!session) throw unauthenticated();
    if (access !== 'any' && !session.roles.some((r) => access.includes(r))) throw forbidden();
    return (handler as AdminHandler)(ctx, session);
  });
}
