import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng } from '../../server/catalog/demo-images';
import { screenshot } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { startPublisherPage, type PublisherPage } from './harness/publisher-page';
import { createFirstAdmin, expectHeading, signIn } from './harness/staff';

const PASSWORD = 'correct horse battery';
let h: ConsoleHarness;
let publisher: PublisherPage | undefined;

beforeAll(async () => {
  h = await startConsoleHarness();
  await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
}, 120_000);
afterAll(async () => {
  await publisher?.close();
  await h?.close();
});

describe('a new account manager sets up an advertiser and a publisher, and sees the ad counted', () => {
  it('creates customer, site, zone, campaign and image creative; the copied tag shows the ad; statistics count it', async () => {
    const { context, page, watch } = await h.newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.adminOrigin });
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);

    // Customer
    await page.getByTestId('nav-customers').click();
    await expectHeading(page, 'Kunden');
    await page.getByRole('button', { name: 'Neuer Kunde' }).click();
    await page.getByRole('button', { name: 'Anlegen' }).click();
    await expect.poll(() => page.getByTestId('customer-form').getByText('Bitte ausfüllen.').count()).toBeGreaterThan(0);
    await page.getByLabel('Name', { exact: true }).fill('Nordlicht Media GmbH');
    await page.getByLabel('E-Mail-Adresse').fill('kontakt@nordlicht.example');
    await page.getByLabel('Art').selectOption('both');
    await page.getByRole('button', { name: 'Anlegen' }).click();
    await expectHeading(page, 'Nordlicht Media GmbH');
    await screenshot(page, '10-customer-detail');
    const customerUrl = page.url();

    // Site and zone with its tag
    await page.getByTestId('nav-sites').click();
    await expectHeading(page, 'Websites & Apps');
    await page.getByRole('button', { name: 'Neue Website/App' }).click();
    await page.getByTestId('site-form').getByLabel('Kunde').selectOption({ label: 'Nordlicht Media GmbH' });
    await page.getByTestId('site-form').getByLabel('Name').fill('Nordlicht News');
    await page.getByLabel('Domain oder App-ID').fill('https://bad domain');
    await page.getByRole('button', { name: 'Anlegen' }).click();
    // The German field error says what a domain looks like (as precisely as the English one).
    await expect.poll(() => page.getByText('Bitte eine Domain wie beispiel.de oder eine App-ID wie com.firma.app eingeben (ohne https://, Pfad oder Port).').count()).toBe(1);
    await page.getByLabel('Domain oder App-ID').fill('news.nordlicht.example');
    await page.getByRole('button', { name: 'Anlegen' }).click();
    await expectHeading(page, 'Nordlicht News');
    await page.getByTestId('zone-form').getByLabel('Name').fill('Medium Rectangle');
    await page.getByRole('button', { name: 'Neue Werbefläche' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Werbefläche angelegt.' }).count()).toBe(1);
    await page.getByRole('button', { name: 'JS-Tag kopieren' }).click();
    await expect.poll(() => page.getByText('In die Zwischenablage kopiert.').count()).toBe(1);
    const tag = await page.evaluate(() => navigator.clipboard.readText());
    expect(tag).toMatch(new RegExp(`^<script src="${h.app.deliveryUrl}/v1/zone/zon_[a-z2-7]{16}\\.js" async></script>$`));
    expect(await page.getByTestId('iframe-tag').textContent()).toContain('/frame" width="300" height="250"');
    // The page tag beside the old ones: the script once per page and this zone's <ins>.
    expect(await page.getByTestId('page-script').textContent()).toBe(`<script src="${h.app.deliveryUrl}/v1/tag.js" async></script>`);
    expect(await page.getByTestId('page-ins').textContent()).toMatch(/^<ins data-ce-zone="zon_[a-z2-7]{16}" style="display:inline-block;width:300px;height:250px"><\/ins>$/);
    await screenshot(page, '11-site-zones');

    // Campaign in that zone
    await page.getByTestId('nav-sites').click();
    await expect.poll(() => page.getByRole('row', { name: /Nordlicht News/ }).textContent()).toContain('Nordlicht Media GmbH');
    await screenshot(page, '11a-sites');
    await page.getByTestId('nav-campaigns').click();
    await expectHeading(page, 'Kampagnen');
    await page.getByRole('link', { name: 'Neue Kampagne' }).click();
    await expectHeading(page, 'Neue Kampagne');
    await page.getByTestId('campaign-form').getByLabel('Kunde').selectOption({ label: 'Nordlicht Media GmbH' });
    await page.getByTestId('campaign-form').getByLabel('Name', { exact: true }).fill('Herbstaktion');
    await page.getByLabel('Medium Rectangle (300 × 250)').check();
    await page.getByLabel('Priorität').fill('11');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(() => page.getByText('Höchstens 10.').count()).toBe(1);
    await page.getByLabel('Priorität').fill('7');
    await page.getByLabel('Exklusivgruppe').fill(' Mode ');
    await screenshot(page, '12-campaign-form');
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expectHeading(page, 'Herbstaktion');
    expect(await page.getByTestId('exclusivity-group').textContent()).toBe('Mode');

    // Image creative: upload with preview
    await page.getByTestId('image-file').setInputFiles({ name: 'banner.png', mimeType: 'image/png', buffer: solidPng(300, 250, [31, 95, 191]) });
    await expect.poll(() => page.getByText('Bild hochgeladen (300 × 250 px).').count()).toBe(1);
    expect(await page.getByTestId('image-preview').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(300);
    await page.getByLabel('Ziel-URL').fill('https://shop.nordlicht.example/herbst');
    await page.getByLabel('Alternativtext').fill('Herbstaktion bei Nordlicht');
    await page.getByRole('button', { name: 'Anlegen' }).click();
    await expect.poll(() => page.getByText('Werbemittel angelegt.').count()).toBe(1);
    expect(await page.getByTestId('creative-list').textContent()).toContain('Herbstaktion bei Nordlicht');
    // The saved image is shown from the console's own origin, fully loaded.
    const thumb = page.getByTestId('creative-thumb').first();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(300);
    await screenshot(page, '13-campaign-detail');
    const campaignUrl = page.url();

    await page.getByTestId('nav-campaigns').click();
    await expect.poll(() => page.getByRole('row', { name: /Herbstaktion/ }).textContent()).toContain('aktiv');
    await screenshot(page, '13a-campaigns');

    // The publisher pastes the tag; a visitor sees the ad.
    publisher = await startPublisherPage(tag);
    const visitor = await h.newPage([publisher.origin, new URL(h.app.deliveryUrl).origin]);
    const impression = visitor.page.waitForResponse((r) => r.url().includes('/v1/imp/') && r.status() === 200);
    await visitor.page.goto(publisher.url);
    const ad = visitor.page.locator('#ad-slot img');
    await expect.poll(() => ad.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(300);
    expect(await ad.getAttribute('alt')).toBe('Herbstaktion bei Nordlicht');
    await impression;
    await screenshot(visitor.page, '14-publisher-page');
    expectCleanPage(visitor.watch);

    // Statistics count the impression.
    await page.goto(campaignUrl);
    await page.getByRole('link', { name: 'Statistik ansehen' }).click();
    await expectHeading(page, 'Statistik');
    await page.getByTestId('report-by-creative').check();
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await expect.poll(() => page.getByTestId('total-impressions').first().textContent()).toBe('1');
    expect(await page.getByTestId('stats-table').first().textContent()).toContain('Ausgeliefert');
    expect(await page.getByTestId('series-chart').isVisible()).toBe(true);
    await screenshot(page, '15-statistics');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'CSV exportieren' }).click();
    const csv = fs.readFileSync((await (await download).path())!, 'utf8').split('\r\n');
    expect(csv[0]).toBe('creative,name,time,served,impressions,viewable,measurable,viewable_rate,clicks,ctr,reach,revenue_eur');
    // The zone tag measured the ad (measurable 1); whether it stayed a second in view depends on the journey's pace.
    // Reach is empty in a breakdown (the sketch is per campaign and day); no price, so revenue 0.
    expect(csv.filter((l) => /^crv_[a-z2-7]{16},Herbstaktion bei Nordlicht \(300 × 250\),[^,]+,1,1,(0,1,0\.000000|1,1,1\.000000),0,0\.000000,,0$/.test(l))).toHaveLength(1);

    // The customer's page counts it among the customer's totals (summed by the server).
    await page.goto(customerUrl);
    await expect.poll(() => page.getByTestId('customer-totals').textContent()).toMatch(/Ausgeliefert\s*1\s*Einblendungen\s*1\s*Klicks\s*0/);

    // The dashboard shows today's impression and the active campaign.
    await page.getByTestId('nav-dashboard').click();
    await expect.poll(() => page.getByTestId('kpi-impressions').locator('dd').textContent()).toBe('1');
    expect(await page.getByRole('link', { name: 'Herbstaktion' }).count()).toBe(1);
    await screenshot(page, '16-dashboard-with-data');
    await page.getByTestId('locale-switch').selectOption('en');
    await expect.poll(() => page.getByTestId('kpi-impressions').locator('dt').textContent()).toBe('Impressions');
    await screenshot(page, '17-dashboard-english');
    expectCleanPage(watch);
  }, 120_000);
});
