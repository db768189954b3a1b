import { solidPng } from '../../../server/catalog/demo-images';

const CSRF = { 'x-requested-with': 'creative-engine' };

/** Calls to the admin API as the staff member behind a session cookie. */
export interface StaffApi {
  /** A JSON request (or none) and the parsed JSON answer. */
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** POSTs raw bytes of a content type (an image upload) and returns the parsed answer. */
  upload<T = unknown>(path: string, bytes: Blob, type: string): Promise<{ status: number; body: T }>;
}

/** Speaks to the admin listener as the signed-in staff member (cookie and CSRF header, as the console does). */
export function staffApi(adminUrl: string, cookie: string): StaffApi {
  const send = async (method: string, path: string, body: string | Blob | undefined, type?: string) => {
    const headers: Record<string, string> = { ...CSRF, cookie, ...(type ? { 'content-type': type } : {}) };
    const res = await fetch(`${adminUrl}${path}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as never };
  };
  return {
    call: (method, path, body) => send(method, path, body === undefined ? undefined : JSON.stringify(body), body === undefined ? undefined : 'application/json'),
    upload: (path, bytes, type) => send('POST', path, bytes, type),
  };
}

async function created<T>(api: StaffApi, path: string, body: unknown): Promise<T> {
  const res = await api.call<T>('POST', path, body);
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** What a portal journey starts from: one customer that advertises and publishes, with one of each. */
export interface PortalWorld {
  customerId: string;
  siteId: string;
  zoneId: string;
  campaignId: string;
  creativeId: string;
  /** A paused HTML creative (listed with its preview, never delivered). */
  htmlCreativeId: string;
}

/**
 * Creates, over the real admin API, a customer (advertiser and publisher) with a site, a 300 × 250
 * zone, an active campaign in it (flight from yesterday to 30 days ahead), an image creative and a
 * paused HTML creative.
 */
export async function seedPortalWorld(api: StaffApi, name: string): Promise<PortalWorld> {
  const day = 86_400_000;
  const customer = await created<{ id: string }>(api, '/api/customers', { name, email: 'kontakt@nordlicht.example', kind: 'both' });
  const site = await created<{ id: string }>(api, '/api/sites', { customerId: customer.id, name: 'Nordlicht News', domain: 'news.nordlicht.example' });
  const zone = await created<{ id: string }>(api, '/api/zones', { siteId: site.id, name: 'Medium Rectangle', width: 300, height: 250 });
  const campaign = await created<{ id: string }>(api, '/api/campaigns', {
    customerId: customer.id,
    name: 'Herbstaktion',
    startsAt: new Date(Date.now() - day).toISOString(),
    endsAt: new Date(Date.now() + 30 * day).toISOString(),
    zoneIds: [zone.id],
    status: 'active',
  });
  const upload = await api.upload<{ id: string }>('/api/assets', new Blob([new Uint8Array(solidPng(300, 250, [31, 95, 191]))]), 'image/png');
  if (upload.status !== 201) throw new Error(`asset upload: ${upload.status} ${JSON.stringify(upload.body)}`);
  const asset = upload.body;
  const creative = await created<{ id: string }>(api, '/api/creatives', {
    campaignId: campaign.id,
    name: 'Herbst-Banner',
    width: 300,
    height: 250,
    assetId: asset.id,
    landingUrl: 'https://shop.nordlicht.example/herbst',
    alt: 'Herbstaktion bei Nordlicht',
  });
  const html = await created<{ id: string }>(api, '/api/creatives', {
    campaignId: campaign.id,
    name: 'Herbst-Text',
    width: 300,
    height: 250,
    html: '<div style="font:20px sans-serif;padding:1em;background:#fde8c8">Herbstaktion: <b>20 % auf alles</b></div>',
    landingUrl: 'https://shop.nordlicht.example/herbst',
    alt: 'Herbstaktion als Text',
    status: 'paused',
  });
  return { customerId: customer.id, siteId: site.id, zoneId: zone.id, campaignId: campaign.id, creativeId: creative.id, htmlCreativeId: html.id };
}
