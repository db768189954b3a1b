/**
 * Zone tools and the forecast in the console: a standard size preset fills the zone form, the tag keywords go
 * into every snippet, the zone preview shows the creative the keywords select (framed, counting nothing), and the
 * campaign form says what share of the zones' expected free traffic a goal needs, warning on overbooking and on
 * zones without history. Screenshots in German and English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs } from '../../server/test/admin-client';
import { expectStatus, uploadPng } from '../../server/test/catalog-fixture';
import { screenshot } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { createFirstAdmin, expectHeading, signIn } from './harness/staff';

const PASSWORD = 'correct horse battery';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let h: ConsoleHarness;
let siteId: string;
let zoneId: string;

beforeAll(async () => {
  h = await startConsoleHarness();
  await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
  const api = await signInAs(h.app, 'admin');
  const customer = expectStatus(await api.post('/api/customers', { name: 'Nordlicht Media GmbH', email: 'k@nordlicht.example', kind: 'both' }), 201);
  siteId = expectStatus(await api.post('/api/sites', { customerId: customer.id, name: 'Nordlicht News', domain: 'news.nordlicht.example' }), 201).id;
  zoneId = expectStatus(await api.post('/api/zones', { siteId, name: 'Sidebar', width: 300, height: 250 }), 201).id;
  expectStatus(await api.post('/api/zones', { siteId, name: 'Neu ohne Verlauf', width: 300, height: 250 }), 201);
  const flight = { customerId: customer.id, startsAt: new Date(Date.now() - DAY).toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString(), status: 'active', zoneIds: [zoneId] };
  const creative = async (campaignId: string, alt: string) => {
    const asset = await uploadPng(api, 300, 250);
    return expectStatus(await api.post('/api/creatives', { campaignId, name: alt, width: 300, height: 250, assetId: asset.id, landingUrl: 'https://shop.nordlicht.example/', alt }), 201).id as string;
  };
  const sport = expectStatus(await api.post('/api/campaigns', { ...flight, name: 'Sportwoche', priority: 8, targeting: { keywords: ['sport'] } }), 201);
  const sportCreative = await creative(sport.id, 'Laufschuhe');
  const house = expectStatus(await api.post('/api/campaigns', { ...flight, name: 'Hausanzeige', priority: 1 }), 201);
  await creative(house.id, 'Abo');
  // Four weeks of history in the sidebar: 10 served every hour.
  const repo = h.app.services.stats.repo;
  const nowHour = Math.floor(Date.now() / HOUR) * HOUR;
  repo.transaction(() => {
    for (let t = nowHour - 28 * DAY; t < nowHour; t += HOUR) {
      repo.add({ hour: t / 1000, campaignId: sport.id, creativeId: sportCreative, zoneId, siteId, country: '', served: 10, impressions: 10, clicks: 0, viewable: 0, measurable: 0 });
    }
  });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('zone tools', () => {
  it('fills the size from a preset, carries keywords into every snippet and previews the zone', async () => {
    const deliveryOrigin = new URL(h.app.deliveryUrl).origin;
    const { page, watch } = await h.newPage([deliveryOrigin]);
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await page.goto(`${h.app.adminUrl}/sites/${siteId}`);
    await expectHeading(page, 'Nordlicht News');

    const form = page.getByTestId('zone-form');
    await form.getByTestId('size-preset').selectOption({ label: '728 × 90 · Leaderboard' });
    expect(await form.getByLabel('Breite (px)').inputValue()).toBe('728');
    expect(await form.getByLabel('Höhe (px)').inputValue()).toBe('90');
    await form.getByLabel('Höhe (px)').fill('600');
    await form.getByLabel('Breite (px)').fill('160');
    // Typing a standard size shows its name in the preset list.
    await expect.poll(() => form.getByTestId('size-preset').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe('160 × 600 · Wide Skyscraper');

    const card = page.getByTestId(`zone-tag-${zoneId}`).locator('..');
    await card.getByTestId('tag-keywords').fill('Sport, News');
    await expect.poll(() => card.getByTestId('js-tag').textContent()).toContain(`/v1/zone/${zoneId}.js?kw=sport,news"`);
    expect(await card.getByTestId('iframe-tag').textContent()).toContain(`/v1/zone/${zoneId}/frame?kw=sport,news"`);
    expect(await card.getByTestId('page-ins').textContent()).toContain(`data-ce-zone="${zoneId}" data-ce-kw="sport,news"`);
    await card.getByTestId('tag-keywords').fill('Sport, zwei Wörter');
    await expect.poll(() => card.getByTestId('tag-keywords-invalid').textContent()).toContain('zwei Wörter');
    expect(await card.getByTestId('js-tag').textContent()).toContain('.js?kw=sport"');
    await screenshot(page, '80-zone-tools-de');

    await card.getByTestId('zone-preview-link').click();
    await expectHeading(page, 'Vorschau der Werbefläche: Sidebar 300 × 250 px');
    expect(await page.getByTestId('preview-keywords').inputValue()).toBe('sport');
    await expect.poll(() => page.getByTestId('preview-chosen').textContent()).toContain('„Sportwoche“');
    const ad = page.frameLocator('[data-testid="preview-frame"]').locator('img');
    await expect.poll(() => ad.getAttribute('alt')).toBe('Laufschuhe');
    // The image loaded (from the console's own origin, under the preview's policy).
    await expect.poll(() => ad.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(300);
    expect(await page.frameLocator('[data-testid="preview-frame"]').locator('a').getAttribute('href')).toBe('https://shop.nordlicht.example/');
    await screenshot(page, '81-zone-preview-de');

    await page.getByTestId('preview-keywords').fill('wetter');
    await page.getByRole('button', { name: 'Vorschau anzeigen' }).click();
    await expect.poll(() => page.getByTestId('preview-chosen').textContent()).toContain('„Hausanzeige“');
    await expect.poll(() => page.frameLocator('[data-testid="preview-frame"]').locator('img').getAttribute('alt')).toBe('Abo');

    await page.getByTestId('locale-switch').selectOption('en');
    await page.getByTestId('preview-keywords').fill('sport');
    await page.getByRole('button', { name: 'Show preview' }).click();
    await expect.poll(() => page.getByTestId('preview-chosen').textContent()).toContain('It would now deliver “Sportwoche”');
    await screenshot(page, '82-zone-preview-en');
    await page.goto(`${h.app.adminUrl}/sites/${siteId}`);
    await page.getByTestId(`zone-tag-${zoneId}`).locator('..').getByTestId('tag-keywords').fill('sport');
    await screenshot(page, '83-zone-tools-en');
    expectCleanPage(watch);
  }, 120_000);

  it('says for every campaign of the zone whether it would serve there now, and why not, until fixed', async () => {
    const api = await signInAs(h.app, 'admin');
    const customerId = (expectStatus(await api.get(`/api/sites/${siteId}`), 200) as { customerId: string }).customerId;
    const paused = expectStatus(await api.post('/api/campaigns', {
      customerId, name: 'Winterpause', startsAt: new Date(Date.now() - DAY).toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString(), status: 'paused', priority: 9, zoneIds: [zoneId],
    }), 201);
    const asset = await uploadPng(api, 300, 250);
    expectStatus(await api.post('/api/creatives', { campaignId: paused.id, name: 'Schneeschuhe', width: 300, height: 250, assetId: asset.id, landingUrl: 'https://shop.nordlicht.example/winter', alt: 'Schneeschuhe' }), 201);

    const { page, watch } = await h.newPage([new URL(h.app.deliveryUrl).origin]);
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await page.goto(`${h.app.adminUrl}/zones/${zoneId}/preview`);
    const check = page.getByTestId('zone-delivery-check');
    const row = (name: string) => check.locator('tr', { has: page.getByRole('link', { name, exact: true }) });
    await expect.poll(() => row('Winterpause').getAttribute('data-delivery')).toBe('will_not_deliver');
    expect(await row('Winterpause').locator('[data-reason="not_active"]').textContent()).toBe('Die Kampagne hat den Status „pausiert“, nicht aktiv.');
    // The keyword campaign has the higher priority and wins (request conditions aside); the house ad is outranked.
    expect(await row('Sportwoche').getAttribute('data-delivery')).toBe('delivering');
    expect(await row('Sportwoche').textContent()).toMatch(/100\s?%\s*gewinnt jetzt/);
    expect(await row('Hausanzeige').textContent()).toContain('Eine Kampagne mit höherer Priorität geht vor.');
    await screenshot(page, '87-zone-delivery-check-de');

    // Fixed elsewhere (resumed): the check says so once asked again, and the paused campaign now wins.
    expectStatus(await api.request('PATCH', `/api/campaigns/${paused.id}`, { json: { status: 'active' } }), 200);
    await check.getByTestId('zone-check-recheck').click();
    await expect.poll(() => row('Winterpause').getAttribute('data-delivery')).toBe('delivering');
    expect(await row('Winterpause').textContent()).toContain('gewinnt jetzt');
    expect(await row('Sportwoche').textContent()).toContain('Eine Kampagne mit höherer Priorität geht vor.');

    await page.getByTestId('locale-switch').selectOption('en');
    await expect.poll(() => check.getByRole('heading').textContent()).toBe('Delivery check of this zone');
    expect(await row('Winterpause').textContent()).toContain('wins now');
    await screenshot(page, '88-zone-delivery-check-en');
    expectStatus(await api.request('PATCH', `/api/campaigns/${paused.id}`, { json: { status: 'paused' } }), 200);
    expectCleanPage(watch);
  }, 120_000);

  it('shows the share of the free forecast a goal needs, and warns on overbooking and missing history', async () => {
    const { page, watch } = await h.newPage();
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await page.goto(`${h.app.adminUrl}/campaigns/new`);
    await expectHeading(page, 'Neue Kampagne');
    await page.getByLabel('Sidebar (300 × 250)').check();
    // 30 days of 10 an hour: about 7200 expected, nothing booked (the seeded campaigns have no goal); 720 is 10 %.
    await page.getByTestId('goal-count').fill('720');
    const share = page.getByTestId('forecast-share');
    await expect.poll(() => share.textContent()).toMatch(/Dieses Ziel braucht 10\s% dessen, was diese Werbeflächen voraussichtlich frei haben\./);
    expect(await page.getByTestId('forecast-overbooked').count()).toBe(0);
    await screenshot(page, '84-campaign-forecast-de');

    await page.getByTestId('goal-count').fill('10000');
    await expect.poll(() => page.getByTestId('forecast-overbooked').textContent()).toContain('Überbucht');
    expect(await share.textContent()).toMatch(/braucht 139\s%/);
    await page.getByLabel('Neu ohne Verlauf (300 × 250)').check();
    await expect.poll(() => page.getByTestId('forecast-no-history').textContent()).toContain('Für 1 der Werbeflächen gibt es noch keine Auslieferungsdaten');
    await screenshot(page, '85-campaign-forecast-overbooked-de');

    await page.getByTestId('locale-switch').selectOption('en');
    await expect.poll(() => share.textContent()).toMatch(/This goal needs 139\s?% of what these zones are expected to have free\.\s?Overbooked: the goal is larger/);
    await screenshot(page, '86-campaign-forecast-overbooked-en');
    expectCleanPage(watch);
  }, 120_000);
});
