import type { AppContext } from '../app-context';
import type { Router } from '../http/router';
import type { FieldCipher } from '../privacy/field-cipher';
import type { StatsService } from '../stats/stats-service';
import { registerPortalAccountRoutes } from './portal-account-routes';
import { registerPortalCatalogRoutes } from './portal-catalog-routes';
import { registerPortalRequestRoutes } from './portal-request-routes';
import type { PortalState } from './portal-route';
import { registerPortalStatsRoutes } from './portal-stats-routes';

/** What the portal's data routes need from the composed server. */
export interface PortalDataDeps {
  cipher: FieldCipher;
  stats: StatsService;
}

/**
 * What a signed-in customer sees and does in the portal — its own data only: overview and
 * statistics, campaigns, creatives, sites with ad tags, "my data" (account, rectification, export,
 * deletion request) and the forwarded requests inbox.
 */
export function registerPortalDataRoutes(ctx: AppContext, portal: Router<PortalState>, deps: PortalDataDeps): void {
  registerPortalStatsRoutes(ctx, portal, deps);
  registerPortalCatalogRoutes(ctx, portal);
  registerPortalAccountRoutes(ctx, portal, deps);
  registerPortalRequestRoutes(ctx, portal, deps);
}
