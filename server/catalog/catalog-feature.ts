import type { AppContext, Routers } from '../app-context';
import type { FieldCipher } from '../privacy/field-cipher';
import { registerAssetRoutes } from './asset-routes';
import { registerCampaignRoutes } from './campaign-routes';
import { registerCreativeRoutes } from './creative-routes';
import { registerCustomerRoutes } from './customer-routes';
import { registerSiteZoneRoutes } from './site-zone-routes';

/** The catalogue admin API (customers, sites, zones, campaigns, creatives, assets) and asset serving; contact data through `cipher`. */
export function registerCatalogRoutes(ctx: AppContext, { admin, delivery }: Routers, cipher: FieldCipher): void {
  registerCustomerRoutes(ctx, admin, cipher);
  registerSiteZoneRoutes(ctx, admin, cipher);
  registerCampaignRoutes(ctx, admin, cipher);
  registerCreativeRoutes(ctx, admin, cipher);
  registerAssetRoutes(ctx, admin, delivery);
}
