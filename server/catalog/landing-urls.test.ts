import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type AdminClient } from '../test/admin-client';
import { expectStatus, seedCatalog, uploadPng, type SeededCatalog } from '../test/catalog-fixture';
import { startTestApp, type TestApp } from '../test/test-app';
import { refreshIndex } from '../delivery/test/seed';

let app: TestApp;
let manager: AdminClient;
let cat: SeededCatalog;
beforeAll(async () => {
  app = await startTestApp();
  manager = await signInAs(app, 'manager');
  cat = await seedCatalog(manager, { sizes: [[300, 250]] });
});
afterAll(() => app.dispose());

/** Typed by staff → stored and redirected to. */
const ODD: Array<[string, string]> = [
  ['https://shop.example/€', 'https://shop.example/%E2%82%AC'],
  ['https://shop.example/☃?q=ä', 'https://shop.example/%E2%98%83?q=%C3%A4'],
  ['https://bücher.example/', 'https://xn--bcher-kva.example/'],
  ['https://BÜCHER.example:8443/Straße#ü', 'https://xn--bcher-kva.example:8443/Stra%C3%9Fe#%C3%BC'],
  ['HTTP://Shop.Example:80/a%20b', 'http://shop.example/a%20b'],
];

async function clickOnce(zoneId: string): Promise<Response> {
  const decision = await fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}`);
  expect(decision.status).toBe(200);
  const { clickUrl } = (await decision.json()) as { clickUrl: string };
  return fetch(clickUrl, { redirect: 'manual' });
}

describe('landing URLs through the admin API', () => {
  it('stores odd URLs in their normalised ASCII form on create and on patch', async () => {
    const asset = await uploadPng(manager, 300, 250);
    for (const [typed, stored] of ODD) {
      const created = await manager.post('/api/creatives', { campaignId: cat.campaign.id, width: 300, height: 250, assetId: asset.id, landingUrl: typed, alt: 'Ad', status: 'paused' });
      expect(created.status, typed).toBe(201);
      expect(created.body.landingUrl).toBe(stored);
      expect((await manager.get(`/api/creatives/${created.body.id}`)).body.landingUrl).toBe(stored);
      const patched = await manager.patch(`/api/creatives/${created.body.id}`, { landingUrl: typed });
      expect(patched.body.landingUrl).toBe(stored);
    }
  });

  it('refuses URLs that can never redirect, with a message on the landingUrl field', async () => {
    const asset = await uploadPng(manager, 300, 250);
    const cases: Array<[string, string]> = [
      ['https://odd-shop.example:99999/', 'The port of a landing URL must be between 1 and 65535.'],
      ['https://user:pass@odd-shop.example/', 'Landing URLs must not contain a user name or password (user:password@).'],
      ['ftp://odd-shop.example/', 'Enter an absolute http(s) URL like https://shop.example/offer.'],
      ['https://odd-shop.example/a\tb', 'Landing URLs cannot contain spaces or control characters; write a space as %20.'],
      [`https://odd-shop.example/${'€'.repeat(400)}`, 'Landing URLs are at most 2048 characters once encoded.'],
    ];
    for (const [landingUrl, message] of cases) {
      const res = await manager.post('/api/creatives', { campaignId: cat.campaign.id, width: 300, height: 250, assetId: asset.id, landingUrl, alt: 'Ad' });
      expect(res.status, landingUrl).toBe(400);
      expect(res.body.error.details).toMatchObject([{ path: 'landingUrl', message, code: 'custom', params: { key: expect.any(String) } }]);
      expect(JSON.stringify(res.body)).not.toContain('odd-shop');
      const patch = await manager.patch(`/api/creatives/${cat.creatives[0]!.id}`, { landingUrl });
      expect(patch.status, landingUrl).toBe(400);
    }
  });

  it('redirects a click on a served creative to the normalised ASCII URL', async () => {
    const creative = cat.creatives[0]!;
    for (const [typed, stored] of ODD) {
      expectStatus(await manager.patch(`/api/creatives/${creative.id}`, { landingUrl: typed, status: 'active' }), 200);
      await refreshIndex(app);
      const res = await clickOnce(cat.zones[0]!.id);
      expect(res.status, typed).toBe(302);
      expect(res.headers.get('location')).toBe(stored);
    }
  });

  it('resumes a creative paused for an unusable stored URL only with a corrected one', async () => {
    const creative = cat.creatives[0]!;
    // As migration 032 leaves a row it could not normalise.
    app.ctx.db.prepare("UPDATE creatives SET landing_url = 'https://shop.example:99999/', status = 'paused' WHERE id = ?").run(creative.id);
    const resume = await manager.patch(`/api/creatives/${creative.id}`, { status: 'active' });
    expect(resume.status).toBe(400);
    expect(resume.body.error.details[0].path).toBe('landingUrl');
    expect(resume.body.error.message).toContain('The port of a landing URL must be between 1 and 65535.');
    expect((await manager.patch(`/api/creatives/${creative.id}`, { alt: 'Still paused' })).status).toBe(200);
    const fixed = await manager.patch(`/api/creatives/${creative.id}`, { status: 'active', landingUrl: 'https://shop.example:8443/' });
    expect(fixed.body).toMatchObject({ status: 'active', landingUrl: 'https://shop.example:8443/' });
    await refreshIndex(app);
    expect((await clickOnce(cat.zones[0]!.id)).headers.get('location')).toBe('https://shop.example:8443/');
  });
});
