import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousClient, signInAs, type AdminClient } from '../test/admin-client';
import { expectStatus, seedCatalog, uploadPng, type SeededCatalog } from '../test/catalog-fixture';
import { SAMPLE_HEADERS } from '../test/sample-images';
import { startTestApp, type TestApp } from '../test/test-app';
import { solidPng } from './demo-images';

let app: TestApp;
let manager: AdminClient;
let cat: SeededCatalog;
beforeAll(async () => {
  app = await startTestApp();
  manager = await signInAs(app, 'manager');
  cat = await seedCatalog(manager, { sizes: [[300, 250], [728, 90]] });
});
afterAll(() => app.dispose());

const upload = (body: Uint8Array | string, type: string, client = manager) => client.request('POST', '/api/assets', { body, headers: { 'content-type': type } });
const base = () => ({ campaignId: cat.campaign.id, width: 300, height: 250, landingUrl: 'https://shop.example/offer?x=1', alt: 'Spring sale' });

describe('assets', () => {
  it('stores an image and serves it on the delivery listener with long caching', async () => {
    const png = solidPng(30, 20, [10, 20, 30]);
    const res = await upload(png, 'image/png');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ width: 30, height: 20, contentType: 'image/png', size: png.length });
    expect(res.body.url).toBe(`${app.deliveryUrl}/v1/assets/${res.body.id}`);
    const served = await fetch(res.body.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    const etag = served.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await fetch(res.body.url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const head = await fetch(res.body.url, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(png.length));
    expect((await manager.get(`/api/assets/${res.body.id}`)).body.id).toBe(res.body.id);
    expect((await manager.get('/api/assets?limit=1')).body.items[0]).not.toHaveProperty('bytes');
    // Never on the admin listener, and unknown or malformed ids are 404.
    expect((await fetch(`${app.adminUrl}/v1/assets/${res.body.id}`)).headers.get('content-type')).not.toBe('image/png');
    expect((await fetch(`${app.deliveryUrl}/v1/assets/ast_aaaaaaaaaaaaaaaa`)).status).toBe(404);
    expect((await fetch(`${app.deliveryUrl}/v1/assets/..%2f..%2fstore.sqlite`)).status).toBe(404);
  });

  it('shows saved images to signed-in staff on the admin origin (the console may load no other)', async () => {
    const png = solidPng(12, 8, [200, 10, 10]);
    const { body } = await upload(png, 'image/png');
    const content = await manager.request('GET', `/api/assets/${body.id}/content`);
    expect(content.status).toBe(200);
    expect(content.headers.get('content-type')).toBe('image/png');
    expect(content.headers.get('content-length')).toBe(String(png.length));
    expect(content.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect((await anonymousClient(app).request('GET', `/api/assets/${body.id}/content`)).status).toBe(401);
    expect((await manager.request('GET', '/api/assets/ast_aaaaaaaaaaaaaaaa/content')).status).toBe(404);
    expect((await manager.request('GET', '/api/assets/nonsense/content')).status).toBe(404);
  });

  it('accepts GIF, JPEG and WebP whose bytes match their type', async () => {
    expect((await upload(SAMPLE_HEADERS.gif(), 'image/gif')).body).toMatchObject({ width: 300, height: 250 });
    expect((await upload(SAMPLE_HEADERS.jpeg(), 'image/jpeg; charset=binary')).body).toMatchObject({ width: 728, height: 90 });
    expect((await upload(SAMPLE_HEADERS.webpVp8x(), 'image/webp')).body.contentType).toBe('image/webp');
  });

  it('refuses mismatched magic bytes, other types, empty and oversized uploads', async () => {
    const mismatch = await upload(SAMPLE_HEADERS.gif(), 'image/png');
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.message).toBe('The body is a GIF image, but content-type says image/png. Send content-type: image/gif.');
    const notImage = await upload('<svg xmlns="http://www.w3.org/2000/svg"></svg>', 'image/png');
    expect(notImage.status).toBe(400);
    expect(notImage.body.error.message).toContain('not a PNG image');
    expect((await upload('<svg/>', 'image/svg+xml')).status).toBe(415);
    expect((await upload(solidPng(2, 2, [0, 0, 0]), 'application/octet-stream')).status).toBe(415);
    expect((await upload(new Uint8Array(0), 'image/png')).status).toBe(400);
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(solidPng(2, 2, [0, 0, 0]));
    expect((await upload(big, 'image/png')).status).toBe(413);
    const reviewer = await signInAs(app, 'reviewer');
    expect((await upload(solidPng(2, 2, [0, 0, 0]), 'image/png', reviewer)).status).toBe(403);
    expect((await anonymousClient(app).request('POST', '/api/assets', { body: solidPng(2, 2, [0, 0, 0]), headers: { 'content-type': 'image/png' } })).status).toBe(401);
  });
});

describe('creatives', () => {
  it('creates image creatives from an asset id or its first-party URL', async () => {
    const asset = await uploadPng(manager, 300, 250);
    const byId = await manager.post('/api/creatives', { ...base(), assetId: asset.id, name: 'By id' });
    expect(byId.status).toBe(201);
    expect(byId.body).toMatchObject({ assetId: asset.id, imageUrl: asset.url, html: null, status: 'active', alt: 'Spring sale' });
    expect(byId.body.id).toMatch(/^crv_/);
    const byUrl = await manager.post('/api/creatives', { ...base(), imageUrl: asset.url });
    expect(byUrl.status).toBe(201);
    expect(byUrl.body.assetId).toBe(asset.id);
    const row = app.ctx.db.prepare('SELECT image_url, asset_id FROM creatives WHERE id = ?').get(byUrl.body.id);
    expect(row).toEqual({ image_url: null, asset_id: asset.id });
    expect((await manager.get(`/api/creatives?campaignId=${cat.campaign.id}`)).body.total).toBe(4);
    expect((await manager.get('/api/creatives?q=by%20id')).body.items[0].id).toBe(byId.body.id);
  });

  it('refuses third-party image URLs and unknown assets', async () => {
    for (const imageUrl of ['https://cdn.example/banner.png', 'http://127.0.0.1:1/v1/assets/ast_aaaaaaaaaaaaaaaa', 'not a url', `${app.deliveryUrl}/elsewhere.png`]) {
      const res = await manager.post('/api/creatives', { ...base(), imageUrl });
      expect(res.status, imageUrl).toBe(400);
      expect(res.body.error.message).toContain('Images must be uploaded (POST /api/assets) so ads load nothing from third parties');
    }
    const unknown = await manager.post('/api/creatives', { ...base(), imageUrl: `${app.deliveryUrl}/v1/assets/ast_aaaaaaaaaaaaaaaa` });
    expect(unknown.status).toBe(404);
    expect((await manager.post('/api/creatives', { ...base(), assetId: 'ast_aaaaaaaaaaaaaaaa' })).status).toBe(404);
  });

  it('accepts self-contained HTML and refuses HTML that loads from elsewhere', async () => {
    const ok = await manager.post('/api/creatives', { ...base(), html: '<div class="ad"><b>Sale</b> 50% off</div>' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ html: '<div class="ad"><b>Sale</b> 50% off</div>', assetId: null, imageUrl: null });
    const external = await manager.post('/api/creatives', { ...base(), html: '<img src="https://tracker.example/pixel.gif">' });
    expect(external.status).toBe(400);
    expect(external.body.error.message).toContain('a src attribute');
    expect(JSON.stringify(external.body)).not.toContain('tracker.example');
    const css = await manager.post('/api/creatives', { ...base(), html: '<div style="background:url(//cdn.example/x.png)">x</div>' });
    expect(css.status).toBe(400);
    const tooBig = await manager.post('/api/creatives', { ...base(), html: 'é'.repeat(33 * 1024) });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.message).toContain('64 KiB');
  });

  it('checks HTML against the allow-list and says on the html field what it found, without echoing it', async () => {
    // The English phrase, and where it is for the console's other languages (names only, never the value).
    const cases: Array<[string, string, Record<string, string>]> = [
      ['<div style="background:url(ht\\74ps://evil.example/x.png)">x</div>', 'a style attribute on <div> with a CSS url() that points to another server', { element: 'div', attribute: 'style' }],
      ['<style>a{background:image-set("//evil.example/x.png" 1x)}</style>', 'a URL in CSS image-set() that points to another server in a <style> element', { element: 'style' }],
      ['<svg><image href="https://evil.example/x.png"/></svg>', 'an <image> element', { element: 'image' }],
      ['<a href="%%CLICK_URL%%" ping="https://evil.example/p">Go</a>', 'a ping attribute on <a>', { element: 'a', attribute: 'ping' }],
      ['<script>1</script>', 'a <script> element', { element: 'script' }],
      ['<body onload="x()">', 'an onload attribute on <body>', { element: 'body', attribute: 'onload' }],
    ];
    for (const [html, found, where] of cases) {
      const res = await manager.post('/api/creatives', { ...base(), html });
      expect(res.status, html).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.message).toContain(`but this one has ${found}.`);
      expect(res.body.error.details).toEqual([
        { path: 'html', message: res.body.error.message, code: 'custom', params: { key: 'htmlUnsafe', click: '%%CLICK_URL%%', ...where } },
      ]);
      expect(JSON.stringify(res.body)).not.toContain('evil.example');
    }
    const clickable = await manager.post('/api/creatives', { ...base(), html: '<a href="%%CLICK_URL%%"><img src="/v1/assets/ast_aaaaaaaaaaaaaaaa" alt=""></a>' });
    expect(clickable.status).toBe(201);
  });

  it('validates the rest with field names', async () => {
    const asset = await uploadPng(manager, 728, 90);
    const two = await manager.post('/api/creatives', { ...base(), assetId: asset.id, html: '<p>x</p>' });
    expect(two.body.error.message).toContain('exactly one of imageUrl, assetId or html');
    expect((await manager.post('/api/creatives', base())).status).toBe(400);
    const bad = await manager.post('/api/creatives', { ...base(), assetId: asset.id, width: 0, landingUrl: 'javascript:alert(1)', alt: '' });
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['alt', 'landingUrl', 'width']);
    for (const landingUrl of ['/relative', 'ftp://x.example', 'https://user:pw@x.example/', `https://x.example/${'a'.repeat(2048)}`]) {
      expect((await manager.post('/api/creatives', { ...base(), assetId: asset.id, landingUrl })).status, landingUrl).toBe(400);
    }
    expect((await manager.post('/api/creatives', { ...base(), assetId: asset.id, campaignId: 'cmp_aaaaaaaaaaaaaaaa' })).status).toBe(404);
  });

  it('patches status, alt and landing URL only', async () => {
    const creative = cat.creatives[0]!;
    const res = await manager.patch(`/api/creatives/${creative.id}`, { status: 'paused', alt: 'New alt', landingUrl: 'https://advertiser.example/new' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'paused', alt: 'New alt', landingUrl: 'https://advertiser.example/new', width: creative.width });
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'creative.' })[0]).toMatchObject({ action: 'creative.update', target: creative.id, details: { fields: ['status', 'alt', 'landingUrl'] } });
    expect((await manager.patch(`/api/creatives/${creative.id}`, { width: 10 })).status).toBe(400);
    expect((await manager.patch('/api/creatives/crv_aaaaaaaaaaaaaaaa', { status: 'active' })).status).toBe(404);
    expect((await manager.get('/api/creatives/crv_')).status).toBe(404);
    const analyst = await signInAs(app, 'analyst');
    expect((await analyst.patch(`/api/creatives/${creative.id}`, { status: 'active' })).status).toBe(403);
    expect((await analyst.get(`/api/creatives/${creative.id}`)).body.status).toBe('paused');
  });

  it('keeps creatives of a restricted customer locked', async () => {
    const other = await seedCatalog(manager);
    app.ctx.db.prepare("UPDATE customers SET status = 'restricted' WHERE id = ?").run(other.advertiser.id);
    const asset = await uploadPng(manager, 300, 250);
    expect((await manager.post('/api/creatives', { ...base(), campaignId: other.campaign.id, assetId: asset.id })).status).toBe(423);
    expect((await manager.patch(`/api/creatives/${other.creatives[0]!.id}`, { status: 'paused' })).status).toBe(423);
    expectStatus(await manager.get(`/api/creatives/${other.creatives[0]!.id}`), 200);
  });
});
