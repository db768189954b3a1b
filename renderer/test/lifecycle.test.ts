/**
 * The catalogue's lifecycle in the console: a creative of the wrong size is refused with the German message
 * naming the zone size; a zone is edited on its site's page; a campaign is archived and restored; campaigns
 * are paused in bulk from the list. Screenshots in German and English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs } from '../../server/test/admin-client';
import { expectStatus, uploadPng } from '../../server/test/catalog-fixture';
import { screenshot } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { createFirstAdmin, expectHeading, signIn } from './harness/staff';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;
let h: ConsoleHarness;
let siteId: string;
let campaignId: string;

beforeAll(async () => {
  h = await startConsoleHarness();
  await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
  const api = await signInAs(h.app, 'admin');
  const customer = expectStatus(await api.post('/api/customers', { name: 'Nordlicht Media GmbH', email: 'k@nordlicht.example', kind: 'both' }), 201);
  siteId = expectStatus(await api.post('/api/sites', { customerId: customer.id, name: 'Nordlicht News', domain: 'news.nordlicht.example' }), 201).id;
  const zone = expectStatus(await api.post('/api/zones', { siteId, name: 'Medium Rectangle', width: 300, height: 250 }), 201);
  const flight = { customerId: customer.id, startsAt: new Date(Date.now() - DAY).toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString(), zoneIds: [zone.id] };
  for (const name of ['Herbstaktion', 'Winteraktion']) {
    const c = expectStatus(await api.post('/api/campaigns', { ...flight, name, status: 'active' }), 201);
    const asset = await uploadPng(api, 300, 250);
    expectStatus(await api.post('/api/creatives', { campaignId: c.id, name: 'Rechteck', width: 300, height: 250, assetId: asset.id, landingUrl: 'https://shop.nordlicht.example/', alt: 'Nordlicht' }), 201);
    campaignId ??= c.id;
  }
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('the lifecycle in the console', () => {
  it('refuses a wrong-size creative in German, edits a zone, archives and restores a campaign, pauses in bulk', async () => {
    const { page, watch } = await h.newPage();
    page.on('dialog', (d) => void d.accept());
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);

    // A 728×90 creative in a campaign whose only zone is 300×250.
    await page.goto(`${h.app.adminUrl}/campaigns/${campaignId}`);
    await expectHeading(page, 'Herbstaktion');
    const form = page.getByTestId('creative-form');
    await form.getByLabel('HTML').first().check();
    await form.locator('textarea').fill('<p>Nordlicht</p>');
    await form.getByLabel('Breite (px)').fill('728');
    await form.getByLabel('Höhe (px)').fill('90');
    await form.getByLabel('Ziel-URL').fill('https://shop.nordlicht.example/');
    await form.getByLabel('Alternativtext').fill('Nordlicht');
    watch.expectHttpError({ path: '/api/creatives', status: 409 });
    await form.getByRole('button', { name: 'Anlegen' }).click();
    await expect
      .poll(() => page.getByTestId('error-banner').allTextContents())
      .toContain('Dieses Werbemittel (728×90) passt in keine Werbefläche der Kampagne (300×250).');
    await screenshot(page, '70-creative-size-refused-de');

    // Archive, then restore: back as paused.
    await page.getByTestId('campaign-archive').click();
    await expect.poll(() => page.getByTestId('lifecycle-notice').textContent()).toContain('„Herbstaktion“ wurde archiviert.');
    expect(await page.getByTestId('archived-note').textContent()).toContain('wird nicht ausgeliefert');
    await screenshot(page, '71-campaign-archived-de');
    await page.getByTestId('campaign-restore').click();
    await expect.poll(() => page.getByTestId('lifecycle-notice').textContent()).toContain('wiederhergestellt und ist pausiert');
    await expect.poll(async () => (await h.app.ctx.db.prepare('SELECT status FROM campaigns WHERE id = ?').pluck().get(campaignId)) as string).toBe('paused');

    // Bulk: resume both (one paused, one active), then pause both.
    await page.getByTestId('nav-campaigns').click();
    await expectHeading(page, 'Kampagnen');
    await expect.poll(() => page.getByTestId('campaign-select').count()).toBe(2);
    await page.getByTestId('bulk-bar').getByRole('checkbox').click();
    await expect.poll(() => page.getByTestId('bulk-bar').textContent()).toContain('2 ausgewählt');
    await page.getByTestId('bulk-pause').click();
    await expect.poll(() => page.getByTestId('bulk-result').textContent()).toContain('2 von 2 Kampagnen pausiert.');
    expect(h.app.ctx.db.prepare("SELECT COUNT(*) FROM campaigns WHERE status = 'paused'").pluck().get()).toBe(2);
    await screenshot(page, '72-campaigns-bulk-de');

    // Edit a zone: rename it and change its size (nothing was served there yet).
    await page.goto(`${h.app.adminUrl}/sites/${siteId}`);
    await expectHeading(page, 'Nordlicht News');
    await page.getByTestId('zone-edit').click();
    const edit = page.getByTestId('zone-edit-form');
    await edit.getByLabel('Name').fill('Großes Rechteck');
    await edit.getByLabel('Breite (px)').fill('336');
    await edit.getByLabel('Höhe (px)').fill('280');
    await screenshot(page, '73-zone-edit-de');
    await edit.getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(() => page.getByTestId('zone-card').first().textContent()).toContain('Großes Rechteck 336 × 280 px');

    // English.
    await page.getByTestId('locale-switch').selectOption('en');
    await page.getByTestId('zone-edit').click();
    await screenshot(page, '73-zone-edit-en');
    await page.goto(`${h.app.adminUrl}/campaigns`);
    await expectHeading(page, 'Campaigns');
    await expect.poll(() => page.getByTestId('campaign-select').count()).toBe(2);
    await page.getByTestId('campaign-select').first().check();
    await page.getByTestId('bulk-resume').click();
    // The zone is 336×280 now, so neither 300×250 creative fits: refused with the reason in English.
    await expect.poll(() => page.getByTestId('bulk-result').textContent()).toContain('0 of 1 campaigns resumed.');
    expect(await page.getByTestId('bulk-result').textContent()).toContain('an active creative that fits one of its zones');
    await screenshot(page, '72-campaigns-bulk-en');
    await page.goto(`${h.app.adminUrl}/campaigns/${campaignId}`);
    await expectHeading(page, 'Herbstaktion');
    const formEn = page.getByTestId('creative-form');
    await formEn.getByLabel('HTML').first().check();
    await formEn.locator('textarea').fill('<p>Nordlicht</p>');
    await formEn.getByLabel(/Width/).fill('728');
    await formEn.getByLabel(/Height/).fill('90');
    await formEn.getByLabel(/Landing/).fill('https://shop.nordlicht.example/');
    await formEn.getByLabel(/Alt/).fill('Nordlicht');
    watch.expectHttpError({ path: '/api/creatives', status: 409 });
    await formEn.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByTestId('error-banner').allTextContents()).toContain('This creative (728×90) fits none of the campaign’s zones (336×280).');
    await screenshot(page, '70-creative-size-refused-en');
    await page.getByTestId('campaign-archive').click();
    await expect.poll(() => page.getByTestId('lifecycle-notice').textContent()).toContain('was archived');
    await screenshot(page, '71-campaign-archived-en');
    expectCleanPage(watch);
  }, 120_000);
});
