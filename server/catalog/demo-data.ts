import { createHash } from 'node:crypto';
import { normaliseLandingUrl } from '../../common/schemas/landing-url';
import type { Zone } from '../../common/schemas/zone';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../store/database';
import { AssetRepo } from './asset-repo';
import { CampaignRepo } from './campaign-repo';
import { CreativeRepo } from './creative-repo';
import { CustomerRepo } from '../privacy/customer-repo';
import { demoBannerPng } from './demo-images';
import { newId } from '../store/new-id';
import { SiteRepo } from './site-repo';
import { ZoneRepo } from './zone-repo';
import type { AuditAction } from '../../common/schemas/audit';

/** Every demo record's name starts with this, so nobody mistakes demo data for real data. */
export const DEMO_PREFIX = 'Demo – ';

const DAY = 24 * 60 * 60 * 1000;
const SIZES: ReadonlyArray<[number, number, string]> = [
  [300, 250, 'Rectangle 300x250'],
  [728, 90, 'Leaderboard 728x90'],
];
const CAMPAIGNS = [
  { name: 'Spring sale', landing: 'https://advertiser.example/spring-sale', bg: [255, 244, 214], fg: [176, 60, 20], priority: 5 },
  { name: 'Brand awareness', landing: 'https://advertiser.example/', bg: [222, 236, 255], fg: [20, 60, 150], priority: 4 },
] as const;

/** What the demo loaded (for printing tags). */
export interface DemoResult {
  zones: Zone[];
  campaignIds: string[];
  creativeIds: string[];
}

/**
 * Loads the demo data set in one transaction: an advertiser and a publisher, one site with two zones,
 * two active campaigns (from yesterday for 30 days, no targeting) with a PNG creative per size.
 * Refuses when demo data are already there.
 */
export function loadDemoData(db: Db, audit: AuditLog, now: Date): DemoResult {
  const customers = new CustomerRepo(db, null);
  const sites = new SiteRepo(db);
  const zones = new ZoneRepo(db);
  const campaigns = new CampaignRepo(db);
  const creatives = new CreativeRepo(db);
  const assets = new AssetRepo(db);
  const at = now.toISOString();
  const log = (action: AuditAction, target: string, fields: string[]) => audit.append({ actor: 'cli', action, target, details: { fields, via: 'demo' } });

  return db.transaction((): DemoResult => {
    if (customers.hasNamePrefix(DEMO_PREFIX)) throw new Error('the demo data are already loaded in this store (customers named "Demo – …" exist).');
    const advertiser = customers.insert(newId('customer'), {
      name: `${DEMO_PREFIX}Advertiser GmbH`, email: 'demo-advertiser@example.com', phone: null, address: null,
      contactPerson: null, kind: 'advertiser', notes: 'Demo data loaded by `creative-engine demo`.',
    }, at);
    const publisher = customers.insert(newId('customer'), {
      name: `${DEMO_PREFIX}Publisher Media`, email: 'demo-publisher@example.com', phone: null, address: null,
      contactPerson: null, kind: 'publisher', notes: 'Demo data loaded by `creative-engine demo`.',
    }, at);
    for (const c of [advertiser, publisher]) log('customer.create', c.id, ['name', 'email', 'kind', 'notes']);
    const site = sites.insert(newId('site'), { customerId: publisher.id, name: `${DEMO_PREFIX}News site`, domain: 'news.example', kind: 'site' }, at);
    log('site.create', site.id, ['customerId', 'name', 'domain', 'kind']);
    const created = SIZES.map(([width, height, label]) => zones.insert(newId('zone'), { siteId: site.id, name: `${DEMO_PREFIX}${label}`, width, height }, at));
    for (const z of created) log('zone.create', z.id, ['siteId', 'name', 'width', 'height']);

    const campaignIds: string[] = [];
    const creativeIds: string[] = [];
    for (const spec of CAMPAIGNS) {
      const campaign = campaigns.insert(newId('campaign'), advertiser.id, {
        name: `${DEMO_PREFIX}${spec.name}`, status: 'active',
        startsAt: new Date(now.getTime() - DAY).toISOString(), endsAt: new Date(now.getTime() + 30 * DAY).toISOString(),
        zoneIds: created.map((z) => z.id), goal: null, pacing: 'even', dailyCap: null, priority: spec.priority, weight: 1, targeting: {}, exclusivityGroup: null, visitorDailyCap: null,
      }, at);
      log('campaign.create', campaign.id, ['customerId', 'name', 'status', 'startsAt', 'endsAt', 'zoneIds', 'priority', 'weight', 'targeting']);
      campaignIds.push(campaign.id);
      // The same landing URL rule as the API's, so demo data never hold a URL a click could not follow.
      const landing = normaliseLandingUrl(spec.landing);
      if (!landing.ok) throw new Error(`the demo landing URL of "${spec.name}" is unusable: ${landing.message}`);
      for (const [width, height] of SIZES) {
        const bytes = demoBannerPng(width, height, spec.bg, spec.fg, ['DEMO AD', `${width}X${height}`]);
        const asset = assets.insert({
          id: newId('asset'), contentType: 'image/png', sha256: createHash('sha256').update(bytes).digest('hex'),
          size: bytes.length, width, height, bytes,
        }, at);
        log('asset.create', asset.id, ['contentType', 'width', 'height', 'size']);
        const creative = creatives.insert(newId('creative'), {
          campaignId: campaign.id, name: `${DEMO_PREFIX}${spec.name} ${width}x${height}`, width, height, assetId: asset.id, html: null,
          landingUrl: landing.url, alt: `Demo advertisement: ${spec.name}`, status: 'active',
        }, at);
        log('creative.create', creative.id, ['campaignId', 'name', 'width', 'height', 'assetId', 'landingUrl', 'alt', 'status']);
        creativeIds.push(creative.id);
      }
    }
    return { zones: created, campaignIds, creativeIds };
  }).immediate();
}
