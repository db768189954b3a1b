import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, missing } from '../../node/test/requirements';
import { signInAs, type AdminClient } from '../../server/test/admin-client';
import { startTestApp, type TestApp } from '../../server/test/test-app';
import { refreshIndex, Seeder } from '../../server/delivery/test/seed';
import { launchChromium, watchPage, type PageWatch } from './harness/browser';
import { startPublisherPage, type PublisherPage } from './harness/publisher-page';

// The page tag in Chromium against the real server, on a publisher page of another origin. The
// viewability cases wait for real: the rule is one continuous second in view.

let app: TestApp;
let browser: Browser;
let analyst: AdminClient;
let seed: Seeder;
const publishers: PublisherPage[] = [];
/** Zones of one publisher site, each open to every campaign of `pool`. */
let siteZones: string[];
let pool: string[];

beforeAll(async () => {
  if (missing(CHROMIUM)) return;
  app = await startTestApp();
  seed = new Seeder(app.ctx.db);
  const siteId = seed.site(seed.customer());
  siteZones = Array.from({ length: 6 }, () => seed.zone(siteId));
  pool = Array.from({ length: 8 }, () => {
    const c = seed.campaign({ zoneIds: siteZones });
    seed.creative(c);
    return c;
  });
  await refreshIndex(app);
  analyst = await signInAs(app, 'analyst');
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  for (const p of publishers) await p.close();
  await app?.dispose();
});

const ins = (zone: string, extra = '') => `<ins data-ce-zone="${zone}" style="display:block;width:300px;height:250px"${extra}></ins>`;
const spacer = (px: number) => `<div style="height:${px}px"></div>`;

/** Opens a publisher page holding `body` and the page tag, recording its requests. */
async function open(body: string): Promise<{ page: Page; watch: PageWatch; publisher: PublisherPage }> {
  const publisher = await startPublisherPage(`${body}<script src="${app.deliveryUrl}/v1/tag.js" async></script>`);
  publishers.push(publisher);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const watch = watchPage(page, [publisher.origin, app.deliveryUrl]);
  await page.goto(publisher.url);
  return { page, watch, publisher };
}

const decisionRequests = (w: PageWatch) => w.requests.filter((r) => r.includes('/v1/decision'));
const viewRequests = (w: PageWatch) => w.requests.filter((r) => r.includes('/v1/view/'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the tag wrote into the placements: zone, fill mark, decision id and the campaign shown (from the click link's stats later). */
async function filled(page: Page): Promise<Array<{ zone: string; filled: string | null; decision: string | null; img: boolean }>> {
  return page.evaluate(() =>
    [...document.querySelectorAll('ins[data-ce-zone]')].map((e) => ({
      zone: e.getAttribute('data-ce-zone')!,
      filled: e.getAttribute('data-ce-filled'),
      decision: e.getAttribute('data-decision'),
      img: !!e.querySelector('a > img'),
    })),
  );
}

/** The campaign behind each decision id the page shows, from the decision answers the browser received. */
function campaignsOf(page: Page): Map<string, string> {
  const byDecision = new Map<string, string>();
  page.on('response', async (res) => {
    if (!res.url().endsWith('/v1/decisions') || res.request().method() !== 'POST') return;
    const body = (await res.json().catch(() => null)) as { placements: Array<{ decision: { decisionId: string; campaignId: string } | null }> } | null;
    for (const p of body?.placements ?? []) if (p.decision) byDecision.set(p.decision.decisionId, p.decision.campaignId);
  });
  return byDecision;
}

async function viewCounts(campaignId: string) {
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const res = await analyst.get(`/api/stats?campaignId=${campaignId}&from=${today}&to=${tomorrow}&granularity=day`);
  const p = res.body.series[0].points[0];
  return { impressions: p.impressions, viewable: p.viewable, measurable: p.measurable };
}

describe.skipIf(missing(CHROMIUM))('page tag /v1/tag.js in Chromium', () => {
  it('fills several placements with ONE decision request, never a campaign twice, loading nothing from third parties', async () => {
    const { page, watch } = await open(`<div style="display:flex;gap:8px">${ins(siteZones[0]!)}${ins(siteZones[1]!)}${ins(siteZones[2]!, ' data-ce-kw="news,local"')}</div>`);
    const campaigns = campaignsOf(page);
    await expect.poll(async () => (await filled(page)).every((p) => p.filled === '1'), { timeout: 10_000 }).toBe(true);
    const shown = await filled(page);
    expect(shown.every((p) => p.img && p.decision)).toBe(true);
    expect(decisionRequests(watch)).toEqual([`POST ${app.deliveryUrl}/v1/decisions`]);
    await expect.poll(() => campaigns.size).toBe(3);
    expect(new Set(campaigns.values()).size).toBe(3);
    for (const c of campaigns.values()) expect(pool).toContain(c);
    // One impression per placement; IntersectionObserver is there, so each says it is measurable.
    await expect.poll(() => watch.requests.filter((r) => r.includes('/v1/imp/')).length).toBe(3);
    expect(watch.requests.filter((r) => r.includes('/v1/imp/')).every((r) => r.endsWith('?m=1'))).toBe(true);
    expect(await page.evaluate(() => document.documentElement.innerHTML.includes('document.write'))).toBe(false);
    expect(watch.foreignRequests).toEqual([]);
    expect(watch.consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('is lazy: a placement far below the fold is requested only when scrolled near, and repeats no campaign of the page', async () => {
    const { page, watch } = await open(`${ins(siteZones[0]!)}${ins(siteZones[1]!)}${spacer(3000)}${ins(siteZones[3]!, ' id="far"')}`);
    const campaigns = campaignsOf(page);
    await expect.poll(async () => (await filled(page)).filter((p) => p.filled === '1').length, { timeout: 10_000 }).toBe(2);
    await sleep(500);
    expect(decisionRequests(watch)).toHaveLength(1);
    expect((await filled(page))[2]!.filled).toBeNull();
    await page.evaluate(() => window.scrollTo(0, 3100));
    await expect.poll(async () => (await filled(page))[2]!.filled, { timeout: 10_000 }).toBe('1');
    expect(decisionRequests(watch)).toHaveLength(2);
    await expect.poll(() => campaigns.size).toBe(3);
    expect(new Set(campaigns.values()).size).toBe(3);
    expect(watch.consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('fills placements a single-page app adds later (MutationObserver) and re-fills emptied ones on creativeEngine.refresh()', async () => {
    const { page, watch } = await open('<main id="app"></main>');
    await page.waitForFunction(() => 'creativeEngine' in window);
    await page.evaluate((zone) => {
      document.getElementById('app')!.innerHTML = `<ins data-ce-zone="${zone}" style="display:block;width:300px;height:250px"></ins>`;
    }, siteZones[4]!);
    await expect.poll(async () => (await filled(page))[0]?.filled, { timeout: 10_000 }).toBe('1');
    const first = (await filled(page))[0]!.decision;
    // The app's next view reuses the element but empties it; refresh() asks again.
    await page.evaluate(() => {
      document.querySelector('ins')!.innerHTML = '';
    });
    await sleep(300);
    expect(decisionRequests(watch)).toHaveLength(1);
    await page.evaluate(() => (window as unknown as { creativeEngine: { refresh(): void } }).creativeEngine.refresh());
    await expect.poll(async () => (await filled(page))[0]?.filled, { timeout: 10_000 }).toBe('1');
    const second = (await filled(page))[0]!.decision;
    expect(second).not.toBe(first);
    expect(decisionRequests(watch)).toHaveLength(2);
    expect(watch.consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('counts a view only after the ad was in view for one continuous second, in a visible tab', async () => {
    // Three ads of their own (one zone and campaign each), far apart below the fold.
    const a = seed.simple();
    const b = seed.simple();
    const c = seed.simple();
    await refreshIndex(app);
    const { page, watch } = await open(`${spacer(1600)}${ins(a.zoneId, ' id="a"')}${spacer(1600)}${ins(b.zoneId, ' id="b"')}${spacer(1600)}${ins(c.zoneId, ' id="c"')}${spacer(1600)}`);
    const scrollTo = (id: string) => page.evaluate((el) => document.getElementById(el)!.scrollIntoView({ block: 'center' }), id);

    // A: requested when scrolled near, but not viewable while only 80 of its 250 px rows (32 %) are in view…
    await page.evaluate(() => window.scrollBy(0, document.getElementById('a')!.getBoundingClientRect().top - window.innerHeight + 80));
    await expect.poll(async () => page.getAttribute('#a', 'data-ce-filled'), { timeout: 10_000 }).toBe('1');
    await sleep(1300);
    expect(viewRequests(watch)).toEqual([]);
    expect(await viewCounts(a.campaignId)).toMatchObject({ viewable: 0 });
    // …and viewable once wholly in view for a second.
    await scrollTo('a');
    await sleep(600);
    expect(viewRequests(watch)).toEqual([]);
    await expect.poll(() => viewRequests(watch).length, { timeout: 3000 }).toBe(1);
    await expect.poll(() => viewCounts(a.campaignId)).toEqual({ impressions: 1, viewable: 1, measurable: 1 });

    // B: in view for half a second, then scrolled away: not viewable; back in view for a second: viewable.
    await scrollTo('b');
    await expect.poll(async () => page.getAttribute('#b', 'data-ce-filled'), { timeout: 10_000 }).toBe('1');
    await sleep(500);
    await page.evaluate(() => window.scrollTo(0, 0));
    await sleep(1200);
    expect(viewRequests(watch)).toHaveLength(1);
    expect(await viewCounts(b.campaignId)).toEqual({ impressions: 1, viewable: 0, measurable: 1 });

    // C: in view but the tab hidden (visibilityState overridden and visibilitychange dispatched,
    // what a hidden tab does: headless Chromium keeps every tab "visible"): not viewable until shown.
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await scrollTo('c');
    await expect.poll(async () => page.getAttribute('#c', 'data-ce-filled'), { timeout: 10_000 }).toBe('1');
    await sleep(1500);
    expect(viewRequests(watch)).toHaveLength(1);
    expect(await viewCounts(c.campaignId)).toMatchObject({ viewable: 0, measurable: 1 });
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect.poll(() => viewCounts(c.campaignId), { timeout: 3000 }).toEqual({ impressions: 1, viewable: 1, measurable: 1 });
    // The server may count the view before Playwright has relayed the request event to this process.
    await expect.poll(() => viewRequests(watch).length, { timeout: 3000 }).toBe(2);
    expect(await viewCounts(b.campaignId)).toMatchObject({ viewable: 0 });
    expect(watch.consoleErrors).toEqual([]);
    await page.context().close();
  }, 30_000);

  it('measures the iframe placement (/v1/zone/ID/frame) against the top viewport', async () => {
    const f = seed.simple();
    await refreshIndex(app);
    const { page, watch } = await open(`${spacer(1800)}<iframe id="frame" src="${app.deliveryUrl}/v1/zone/${f.zoneId}/frame" width="300" height="250" style="border:0"></iframe>${spacer(1200)}`);
    // The frame loads at once (not lazy) and fires its impression, measurable, but is out of view.
    await expect.poll(() => watch.requests.filter((r) => r.includes('/v1/imp/')), { timeout: 10_000 }).toHaveLength(1);
    expect(watch.requests.find((r) => r.includes('/v1/imp/'))).toMatch(/\?m=1$/);
    await sleep(1300);
    expect(viewRequests(watch)).toEqual([]);
    await page.evaluate(() => document.getElementById('frame')!.scrollIntoView({ block: 'center' }));
    await expect.poll(() => viewRequests(watch).length, { timeout: 3000 }).toBe(1);
    await expect.poll(() => viewCounts(f.campaignId)).toEqual({ impressions: 1, viewable: 1, measurable: 1 });
    expect(watch.consoleErrors).toEqual([]);
    await page.context().close();
  });
});
