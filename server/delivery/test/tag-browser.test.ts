import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs } from '../../test/admin-client';
import { startTestApp, type TestApp } from '../../test/test-app';
import { refreshIndex, Seeder } from './seed';
import { CHROMIUM as CHROMIUM_PART, CHROMIUM_PATH, missing } from '../../../node/test/requirements';

const CHROMIUM = CHROMIUM_PATH;
const haveChromium = CHROMIUM_PART.available;

let app: TestApp;
let publisher: http.Server;
let publisherUrl: string;
let browser: Browser;
let ids: { imageZone: string; htmlZone: string; imageCampaign: string };

beforeAll(async () => {
  if (!haveChromium) return;
  app = await startTestApp();
  const seed = new Seeder(app.ctx.db);
  const image = seed.simple({}, { alt: 'Image ad' });
  const html = seed.simple({}, { width: 728, height: 90, html: '<a id="cta" href="%%CLICK_URL%%">Read more</a>', alt: 'HTML ad' });
  ids = { imageZone: image.zoneId, htmlZone: html.zoneId, imageCampaign: image.campaignId };
  await refreshIndex(app);
  // The publisher's page lives on another origin, as on a real site.
  const page = `<!doctype html><html><head><title>Publisher</title></head><body>
<p id="before">Article text</p>
<div id="slot-image"><script src="${app.deliveryUrl}/v1/zone/${ids.imageZone}.js"></script></div>
<div id="slot-html"><script src="${app.deliveryUrl}/v1/zone/${ids.htmlZone}.js"></script></div>
<p id="after">More text</p></body></html>`;
  publisher = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page) });
    res.end(page);
  });
  await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
  publisherUrl = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'] });
});

afterAll(async () => {
  await browser?.close();
  if (publisher) await new Promise((resolve) => publisher.close(resolve));
  await app?.dispose();
});

describe.skipIf(missing(CHROMIUM_PART))('JavaScript tag in a real browser (Chromium)', () => {
  it('renders the ads where the scripts stand, fires the impressions and loads nothing from third parties', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(publisherUrl);

    const img = page.locator('#slot-image > a > img');
    await img.waitFor({ state: 'attached', timeout: 10_000 });
    expect(await img.getAttribute('alt')).toBe('Image ad');
    expect(await img.getAttribute('width')).toBe('300');
    expect(await img.getAttribute('src')).toMatch(new RegExp(`^${app.deliveryUrl}/v1/assets/`));
    const link = page.locator('#slot-image > a');
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${app.deliveryUrl}/v1/click/`));
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener');

    const frame = page.locator('#slot-html > iframe');
    await frame.waitFor({ state: 'attached', timeout: 10_000 });
    expect(await frame.getAttribute('sandbox')).toBe('allow-popups allow-popups-to-escape-sandbox');
    const cta = page.frameLocator('#slot-html > iframe').locator('#cta');
    await cta.waitFor({ timeout: 10_000 });
    expect(await cta.getAttribute('href')).toMatch(new RegExp(`^${app.deliveryUrl}/v1/click/`));

    // Both impressions are fired; the image campaign's one is counted.
    await expect.poll(() => requests.filter((u) => u.includes('/v1/imp/')).length, { timeout: 10_000 }).toBe(2);
    const analyst = await signInAs(app, 'analyst');
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await expect
      .poll(async () => {
        const res = await analyst.get(`/api/stats?campaignId=${ids.imageCampaign}&from=${today}&to=${tomorrow}&granularity=day`);
        return res.body.series[0].points[0].impressions;
      }, { timeout: 10_000 })
      .toBe(1);

    // The ads stand where the scripts stood, in page order.
    // A string expression: the server's TypeScript project has no DOM types.
    const order = await page.evaluate("[...document.body.querySelectorAll('p, a, iframe')].map((e) => e.id || e.tagName.toLowerCase())");
    expect(order).toEqual(['before', 'a', 'iframe', 'after']);
    const foreign = requests.filter((u) => !u.startsWith(publisherUrl) && !u.startsWith(app.deliveryUrl) && !u.startsWith('about:'));
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
