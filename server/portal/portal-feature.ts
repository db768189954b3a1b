import type { AppContext, Routers } from '../app-context';
import type { PortalSessionResolver } from './portal-route';

/**
 * The customer portal: customer users, their sessions and the portal API. Returns the sessions the
 * portal listener resolves.
 */
export function startPortal(_ctx: AppContext, _routers: Routers): PortalSessionResolver {
  return { resolve: () => null };
}
