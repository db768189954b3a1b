import type { Feature } from '../app-context';
import { registerAssetRoutes } from './asset-routes';
import { registerCampaignRoutes } from './campaign-routes';
import { registerCreativeRoutes } from './creative-routes';
import { registerCustomerRoutes } from './customer-routes';
import { registerSiteZoneRoutes } from './site-zone-routes';

/** The catalogue admin API (customers, sites, zones, campaigns, creatives, assets) and asset serving. */
export const catalogFeature: Feature = (ctx, { admin, delivery }) => {
  registerCustomerRoutes(ctx, admin);
  registerSiteZoneRoutes(ctx, admin);
  registerCampaignRoutes(ctx, admin);
  registerCreativeRoutes(ctx, admin);
  registerAssetRoutes(ctx, admin, delivery);
};
