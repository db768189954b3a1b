/**
 * Test helper: creates a small, complete catalogue over the admin API (customer, site, zones,
 * campaign, image creatives) so that delivery, statistics and privacy tests start from real data.
 *
 *   const admin = await signInAs(app, 'admin');
 *   const cat = await seedCatalog(admin, { sizes: [[300, 250]] });
 *   await fetch(`${app.deliveryUrl}/v1/decision?zone=${cat.zones[0].id}`);
 */
import type { Campaign } from '../../common/schemas/campaign';
import type { Creative } from '../../common/schemas/creative';
import type { Customer } from '../../common/schemas/customer';
import type { Site } from '../../common/schemas/site';
import type { Zone } from '../../common/schemas/zone';
import { solidPng } from '../catalog/demo-images';
import type { AdminClient, ApiResponse } from './admin-client';

export interface SeededCatalog {
  advertiser: Customer;
  publisher: Customer;
  site: Site;
  zones: Zone[];
  campaign: Campaign;
  creatives: Creative[];
}

/** Throws with the server's message unless the status is as expected; returns the body. */
export function expectStatus(res: ApiResponse, status: number): ApiResponse['body'] {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Uploads a solid-colour PNG of the given size and returns the asset. */
export async function uploadPng(client: AdminClient, width: number, height: number, rgb: [number, number, number] = [30, 120, 200]) {
  const res = await client.request('POST', '/api/assets', { body: solidPng(width, height, rgb), headers: { 'content-type': 'image/png' } });
  return expectStatus(res, 201) as { id: string; url: string; width: number; height: number };
}

/**
 * Creates advertiser + publisher, one site, a zone per size, one active campaign in every zone
 * (flight from 1 day ago to 30 days ahead, no targeting) and one PNG creative per size.
 * `campaign` overrides campaign fields (e.g. { dailyCap: 10, targeting: { keywords: ['news'] } }).
 */
export async function seedCatalog(
  client: AdminClient,
  options: { sizes?: Array<[number, number]>; campaign?: Record<string, unknown>; now?: Date; landingUrl?: string } = {},
): Promise<SeededCatalog> {
  const sizes = options.sizes ?? [[300, 250]];
  const now = options.now ?? new Date();
  const day = 24 * 60 * 60 * 1000;
  const advertiser = expectStatus(await client.post('/api/customers', { name: 'Test Advertiser', email: 'ads@advertiser.example', kind: 'advertiser' }), 201);
  const publisher = expectStatus(await client.post('/api/customers', { name: 'Test Publisher', email: 'ads@publisher.example', kind: 'publisher' }), 201);
  const site = expectStatus(await client.post('/api/sites', { customerId: publisher.id, name: 'Test site', domain: 'publisher.example' }), 201);
  const zones: Zone[] = [];
  for (const [width, height] of sizes) {
    zones.push(expectStatus(await client.post('/api/zones', { siteId: site.id, name: `Zone ${width}x${height}`, width, height }), 201));
  }
  const campaign = expectStatus(
    await client.post('/api/campaigns', {
      customerId: advertiser.id,
      name: 'Test campaign',
      startsAt: new Date(now.getTime() - day).toISOString(),
      endsAt: new Date(now.getTime() + 30 * day).toISOString(),
      zoneIds: zones.map((z) => z.id),
      status: 'active',
      ...options.campaign,
    }),
    201,
  );
  const creatives: Creative[] = [];
  for (const [width, height] of sizes) {
    const asset = await uploadPng(client, width, height);
    creatives.push(
      expectStatus(
        await client.post('/api/creatives', {
          campaignId: campaign.id,
          name: `Creative ${width}x${height}`,
          width,
          height,
          assetId: asset.id,
          landingUrl: options.landingUrl ?? 'https://advertiser.example/offer',
          alt: 'Test advertisement',
        }),
        201,
      ),
    );
  }
  return { advertiser, publisher, site, zones, campaign, creatives };
}
