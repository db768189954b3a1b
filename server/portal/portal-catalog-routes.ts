import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { adFrameCsp } from '../../common/csp';
import { CAMPAIGN_STATUSES, type Campaign } from '../../common/schemas/campaign';
import { CREATIVE_STATUSES } from '../../common/schemas/creative';
import { idSchema } from '../../common/schemas/ids';
import type { PortalCampaignDetail, PortalCreative, PortalSite, PortalZone } from '../../common/schemas/portal';
import type { Site } from '../../common/schemas/site';
import { zoneTags } from '../../common/zone-tags';
import type { AppContext } from '../app-context';
import { AssetRepo } from '../catalog/asset-repo';
import { assetUrl } from '../catalog/asset-routes';
import { CampaignRepo } from '../catalog/campaign-repo';
import { findOr404, parseListQuery } from '../catalog/catalog-support';
import { CreativeRepo, type StoredCreative } from '../catalog/creative-repo';
import { SiteRepo } from '../catalog/site-repo';
import { ZoneRepo } from '../catalog/zone-repo';
import { previewPage } from '../delivery/frame-page';
import { asciiOrigin } from '../http/header-value';
import { notFound } from '../http/http-error';
import type { Router } from '../http/router';
import { portalRoute, type PortalState } from './portal-route';

/** Most zones or creatives a detail lists (a campaign or site with more is not a real case). */
const DETAIL_LIMIT = 500;

/** The iframe tag's accessible name in the reader's language (the console's texts: renderer i18n `sites.iframeTitle`). */
const iframeTitle = (req: IncomingMessage) => (/^de\b/i.test(req.headers['accept-language'] ?? '') ? 'Anzeige' : 'Advertisement');

/**
 * The customer's catalogue in the portal: its campaigns (with creatives and zones), creatives with
 * previews, and — for publishers — its sites with zones and ad tags. Every lookup is scoped to the
 * session's customer: another customer's id is answered exactly like a missing one (404).
 */
export function registerPortalCatalogRoutes(ctx: AppContext, portal: Router<PortalState>): void {
  const campaigns = new CampaignRepo(ctx.db, ctx.now);
  const creatives = new CreativeRepo(ctx.db);
  const sites = new SiteRepo(ctx.db);
  const zones = new ZoneRepo(ctx.db);
  const assets = new AssetRepo(ctx.db);

  // Another customer's row is treated as absent: same 404, same message, no query difference visible.
  const mine = <T>(row: T | null, ownerId: string | null | undefined, customerId: string): T | null => (row && ownerId === customerId ? row : null);
  const ownCampaign = (id: string | undefined, customerId: string): Campaign =>
    findOr404('campaign', id, (i) => { const c = campaigns.get(i); return mine(c, c?.customerId, customerId); }, 'The campaign');
  const ownSite = (id: string | undefined, customerId: string): Site =>
    findOr404('site', id, (i) => { const s = sites.get(i); return mine(s, s?.customerId, customerId); }, 'The site');
  const ownCreative = (id: string | undefined, customerId: string): StoredCreative =>
    findOr404('creative', id, (i) => { const c = creatives.get(i); return mine(c, c && campaigns.get(c.campaignId)?.customerId, customerId); }, 'The creative');

  const toCreative = (c: StoredCreative, campaignName: string): PortalCreative => ({
    ...c,
    imageUrl: c.assetId ? assetUrl(ctx, c.assetId) : null,
    campaignName,
    previewUrl: `/portal-api/creatives/${c.id}/preview`,
  });
  const zoneWithSite = (zoneId: string): PortalZone | null => {
    const z = zones.get(zoneId);
    const s = z && sites.get(z.siteId);
    return z && s ? { id: z.id, name: z.name, width: z.width, height: z.height, siteId: s.id, siteName: s.name, siteDomain: s.domain } : null;
  };
  const siteWithZones = (site: Site, req: IncomingMessage): PortalSite => {
    const title = iframeTitle(req);
    const base = ctx.deliveryBaseUrl();
    const own = zones.list({ siteId: site.id, limit: DETAIL_LIMIT, offset: 0 }).items;
    return { ...site, zones: own.map((z) => ({ ...z, tags: zoneTags(base, z, title) })) };
  };

  portalRoute(portal, 'GET /portal-api/campaigns', ({ query }, session) =>
    campaigns.list({ ...parseListQuery(query, { status: z.enum(CAMPAIGN_STATUSES).optional() }), customerId: session.customerId }),
  );

  portalRoute(portal, 'GET /portal-api/campaigns/:id', ({ params }, session): PortalCampaignDetail => {
    const campaign = ownCampaign(params.id, session.customerId);
    const own = creatives.list({ campaignId: campaign.id, limit: DETAIL_LIMIT, offset: 0 }).items;
    return {
      ...campaign,
      creatives: own.map((c) => toCreative(c, campaign.name)),
      zones: campaign.zoneIds.map(zoneWithSite).filter((z): z is PortalZone => z !== null),
    };
  });

  portalRoute(portal, 'GET /portal-api/creatives', ({ query }, session) => {
    const q = parseListQuery(query, { campaignId: idSchema('campaign').optional(), status: z.enum(CREATIVE_STATUSES).optional() });
    const page = creatives.list({ ...q, customerId: session.customerId });
    const names = new Map<string, string>();
    const nameOf = (id: string) => names.get(id) ?? names.set(id, campaigns.get(id)?.name ?? '').get(id)!;
    return { ...page, items: page.items.map((c) => toCreative(c, nameOf(c.campaignId))) };
  });

  portalRoute(portal, 'GET /portal-api/creatives/:id/preview', ({ res, params }, session) => {
    const creative = ownCreative(params.id, session.customerId);
    res.setHeader('cache-control', 'private, no-store');
    if (creative.html !== null || !creative.assetId) {
      // The HTML creative under the delivery's ad policy: its images and fonts load from the delivery server, nothing runs.
      const origin = asciiOrigin(ctx.deliveryBaseUrl()) ?? "'none'";
      const page = previewPage({ ...creative, imageUrl: null });
      // The portal's own pages may frame it (whether they do is PORTAL_CSP's frame-src); nobody else may.
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': adFrameCsp(origin),
        'x-frame-options': 'SAMEORIGIN',
        'content-length': Buffer.byteLength(page),
      });
      res.end(page);
      return;
    }
    const file = assets.file(creative.assetId);
    if (!file) throw notFound('The image');
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length });
    res.end(file.bytes);
  });

  portalRoute(portal, 'GET /portal-api/sites', ({ req, query }, session) => {
    const page = sites.list({ ...parseListQuery(query, {}), customerId: session.customerId });
    return { ...page, items: page.items.map((s) => siteWithZones(s, req)) };
  });

  portalRoute(portal, 'GET /portal-api/sites/:id', ({ req, params }, session) => siteWithZones(ownSite(params.id, session.customerId), req));
}
