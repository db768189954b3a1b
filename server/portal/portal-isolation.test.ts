import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_ROUTES, type PortalRouteKey } from '../../common/portal-access';
import type { ApiResponse } from '../test/admin-client';
import { signInAs, type AdminClient } from '../test/admin-client';
import { expectStatus, uploadPng } from '../test/catalog-fixture';
import { createPortalUser, signInPortal, type PortalClient } from '../test/portal-fixture';
import { startTestApp, type TestApp } from '../test/test-app';

/** Every route of the table that needs a signed-in customer. */
type CustomerRoute = { [K in PortalRouteKey]: (typeof PORTAL_ROUTES)[K] extends 'customer' ? K : never }[PortalRouteKey];

interface Customer {
  id: string;
  name: string;
  email: string;
  campaign: string;
  creative: string;
  site: string;
  zone: string;
  request: string;
  user: { client: PortalClient; email: string; password: string; userId: string };
}

let app: TestApp;
let admin: AdminClient;
let A: Customer;
let B: Customer;

async function makeCustomer(name: string, domain: string): Promise<Customer> {
  const email = `contact@${domain}`;
  const id = expectStatus(await admin.post('/api/customers', { name, email, kind: 'both' }), 201).id as string;
  const site = expectStatus(await admin.post('/api/sites', { customerId: id, name: `Site of ${name}`, domain }), 201).id as string;
  const zone = expectStatus(await admin.post('/api/zones', { siteId: site, name: 'Zone', width: 300, height: 250 }), 201).id as string;
  const campaign = expectStatus(
    await admin.post('/api/campaigns', { customerId: id, name: `Campaign of ${name}`, startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-01-01T00:00:00Z', zoneIds: [zone], status: 'active' }),
    201,
  ).id as string;
  const asset = await uploadPng(admin, 300, 250);
  const creative = expectStatus(await admin.post('/api/creatives', { campaignId: campaign, name: 'Ad', width: 300, height: 250, assetId: asset.id, landingUrl: `https://${domain}/`, alt: 'Ad' }), 201).id as string;
  const submitted = await fetch(`${app.deliveryUrl}/v1/contact`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Subject of ${name}`, email: `subject@${domain}`, message: 'Which data do you hold?', kind: 'access', customerId: id }),
  });
  const request = ((await submitted.json()) as { id: string }).id;
  expectStatus(await admin.post(`/api/requests/${request}/forward`, { customerId: id }), 200);
  const user = await createPortalUser(app, admin, id, `portal.user@${domain}`);
  return { id, name, email, campaign, creative, site, zone, request, user };
}

/** 404 with the one not-found answer: another customer's id looks exactly like a missing one. */
const expectNotFound = (res: ApiResponse) => {
  expect(res.status).toBe(404);
  expect(res.body.error.code).toBe('not_found');
};

/** The answer holds nothing of B: none of its ids, its name or its addresses. */
const expectNothingOfB = (res: ApiResponse) => {
  expect(res.status).toBeLessThan(500);
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? '');
  for (const value of [B.id, B.name, B.email, B.campaign, B.creative, B.site, B.zone, B.request, B.user.email, B.user.userId]) expect(text).not.toContain(value);
};

const RANGE = 'from=2026-03-01&to=2026-03-11&granularity=day';

/**
 * How customer A calls each customer route with B's ids, and what must hold. A route added to
 * PORTAL_ROUTES without a row fails the type check here and the run below.
 */
const ROWS: Record<CustomerRoute, () => Promise<void>> = {
  'GET /portal-api/me': async () => {
    const res = await A.user.client.get('/portal-api/me');
    expect(res.body.customerId).toBe(A.id);
    expectNothingOfB(res);
  },
  'PUT /portal-api/me/password': async () => {
    const res = await A.user.client.put('/portal-api/me/password', { currentPassword: B.user.password + 'x', newPassword: 'another long enough password' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expectNothingOfB(res);
    await signInPortal(app, B.user.email, B.user.password);
  },
  'GET /portal-api/me/totp': async () => expectNothingOfB(await A.user.client.get('/portal-api/me/totp')),
  'POST /portal-api/me/totp': async () => {
    expectNothingOfB(await A.user.client.post('/portal-api/me/totp', {}));
    expect((await B.user.client.get('/portal-api/me')).body.totpEnabled).toBe(false);
  },
  'POST /portal-api/me/totp/confirm': async () => {
    const res = await A.user.client.post('/portal-api/me/totp/confirm', { code: '000000' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expectNothingOfB(res);
  },
  'DELETE /portal-api/me/totp': async () => {
    expectNothingOfB(await A.user.client.delete('/portal-api/me/totp', { password: B.user.password }));
    expect((await B.user.client.get('/portal-api/me')).status).toBe(200);
  },
  'GET /portal-api/overview': async () => {
    const res = await A.user.client.get('/portal-api/overview');
    expect(res.body.customer.id).toBe(A.id);
    expectNothingOfB(res);
  },
  'GET /portal-api/account': async () => {
    const res = await A.user.client.get('/portal-api/account');
    expect(res.body.id).toBe(A.id);
    expectNothingOfB(res);
  },
  'PATCH /portal-api/account': async () => {
    const res = await A.user.client.patch('/portal-api/account', { contactPerson: 'Changed by A' });
    expect(res.status).toBe(200);
    expectNothingOfB(res);
    expect((await B.user.client.get('/portal-api/account')).body.contactPerson).toBeNull();
  },
  'GET /portal-api/export': async () => {
    const res = await A.user.client.get('/portal-api/export');
    expect(res.body.customer.id).toBe(A.id);
    expectNothingOfB(res);
  },
  'POST /portal-api/deletion': async () => {
    const res = await A.user.client.post('/portal-api/deletion', { confirm: true });
    expect(res.status).toBe(202);
    expect(res.body.customerId).toBe(A.id);
    expect((await B.user.client.get('/portal-api/account')).body.retention.status).toBe('active');
  },
  'GET /portal-api/campaigns': async () => {
    const res = await A.user.client.get(`/portal-api/campaigns?customerId=${B.id}`);
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual([A.campaign]);
    expectNothingOfB(res);
  },
  'GET /portal-api/campaigns/:id': async () => expectNotFound(await A.user.client.get(`/portal-api/campaigns/${B.campaign}`)),
  'GET /portal-api/creatives': async () => {
    const res = await A.user.client.get(`/portal-api/creatives?campaignId=${B.campaign}`);
    expect(res.body.items).toEqual([]);
    expectNothingOfB(await A.user.client.get('/portal-api/creatives'));
  },
  'GET /portal-api/creatives/:id/preview': async () => expectNotFound(await A.user.client.get(`/portal-api/creatives/${B.creative}/preview`)),
  'GET /portal-api/sites': async () => {
    const res = await A.user.client.get(`/portal-api/sites?customerId=${B.id}`);
    expect(res.body.items.map((s: { id: string }) => s.id)).toEqual([A.site]);
    expectNothingOfB(res);
  },
  'GET /portal-api/sites/:id': async () => expectNotFound(await A.user.client.get(`/portal-api/sites/${B.site}`)),
  'GET /portal-api/stats': async () => {
    expectNotFound(await A.user.client.get(`/portal-api/stats?campaignId=${B.campaign}&${RANGE}`));
    expectNothingOfB(await A.user.client.get(`/portal-api/stats?${RANGE}&by=zone`));
  },
  'GET /portal-api/requests': async () => {
    const res = await A.user.client.get('/portal-api/requests');
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([A.request]);
    expectNothingOfB(res);
  },
  'GET /portal-api/requests/:id': async () => expectNotFound(await A.user.client.get(`/portal-api/requests/${B.request}`)),
  'PATCH /portal-api/requests/:id': async () => {
    expectNotFound(await A.user.client.patch(`/portal-api/requests/${B.request}`, { status: 'done' }));
    expect((await B.user.client.get(`/portal-api/requests/${B.request}`)).body.status).toBe('new');
  },
  'GET /portal-api/requests/:id/replies': async () => expectNotFound(await A.user.client.get(`/portal-api/requests/${B.request}/replies`)),
  'POST /portal-api/requests/:id/replies': async () => {
    expectNotFound(await A.user.client.post(`/portal-api/requests/${B.request}/replies`, { message: 'Written by A' }));
    expect((await B.user.client.get(`/portal-api/requests/${B.request}/replies`)).body.items).toEqual([]);
  },
};

// Every customer route of the table, the deletion request last (it ends A's session).
const customerRoutes = (Object.keys(PORTAL_ROUTES) as PortalRouteKey[])
  .filter((r) => PORTAL_ROUTES[r] === 'customer')
  .sort((x, y) => Number(x === 'POST /portal-api/deletion') - Number(y === 'POST /portal-api/deletion'));

beforeAll(async () => {
  app = await startTestApp();
  admin = await signInAs(app, ['admin', 'dpo']);
  A = await makeCustomer('Alpha Iso GmbH', 'alpha-iso.example');
  B = await makeCustomer('Beta Iso AG', 'beta-iso.example');
});
afterAll(() => app.dispose());

describe("customer A's session against customer B's data", () => {
  it('has a row for every customer route of PORTAL_ROUTES, and every such route is registered', () => {
    expect(customerRoutes.filter((r) => !Object.hasOwn(ROWS, r))).toEqual([]);
    const registered = new Set(app.routes.portal.map((r) => `${r.method} ${r.path}`));
    expect(customerRoutes.filter((r) => !registered.has(r))).toEqual([]);
  });

  it.each(customerRoutes)('%s', async (route) => {
    const row = (ROWS as Record<string, (() => Promise<void>) | undefined>)[route];
    if (!row) throw new Error(`No isolation row for ${route}: add one to ROWS.`);
    await row();
  });
});
