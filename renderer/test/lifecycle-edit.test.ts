/**
 * Editing, archiving and restoring sites and creatives in the console: a bad domain is refused at its field in
 * German; an archived site leaves the list and comes back with "show archived" and after restoring; a creative's
 * name and landing URL change; an image of another size is refused at the image field naming both sizes, one of
 * the same size replaces it; a creative is archived and restored. Screenshots in German and English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signInAs } from '../../server/test/admin-client';
import { expectStatus, uploadPng } from '../../server/test/catalog-fixture';
import { solidPng } from '../../server/catalog/demo-images';
import { screenshot } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { createFirstAdmin, expectHeading, signIn } from './harness/staff';

const PASSWORD = 'correct horse battery';
const DAY = 86_400_000;
let h: ConsoleHarness;
let siteId: string;
let campaignId: string;
let creativeId: string;

const creativeRow = (id: string) => h.app.ctx.db.prepare('SELECT name, landing_url AS landingUrl, asset_id AS assetId, archived_at AS archivedAt FROM creatives WHERE id = ?').get(id) as {
  name: string;
  landingUrl: string;
  assetId: string;
  archivedAt: string | null;
};
const siteRow = (id: string) => h.app.ctx.db.prepare('SELECT name, domain, archived_at AS archivedAt FROM sites WHERE id = ?').get(id) as { name: string; domain: string; archivedAt: string | null };
const siteLinks = (page: Page) => page.getByTestId('site-table').locator('tbody td:first-child a').allTextContents();

beforeAll(async () => {
  h = await startConsoleHarness();
  await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
  const api = await signInAs(h.app, 'admin');
  const customer = expectStatus(await api.post('/api/customers', { name: 'Nordlicht Media GmbH', email: 'k@nordlicht.example', kind: 'both' }), 201);
  siteId = expectStatus(await api.post('/api/sites', { customerId: customer.id, name: 'Nordlicht News', domain: 'news.nordlicht.example' }), 201).id;
  const zone = expectStatus(await api.post('/api/zones', { siteId, name: 'Medium Rectangle', width: 300, height: 250 }), 201);
  const flight = { customerId: customer.id, startsAt: new Date(Date.now() - DAY).toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString(), zoneIds: [zone.id] };
  campaignId = expectStatus(await api.post('/api/campaigns', { ...flight, name: 'Herbstaktion', status: 'active' }), 201).id;
  const asset = await uploadPng(api, 300, 250);
  creativeId = expectStatus(
    await api.post('/api/creatives', { campaignId, name: 'Rechteck', width: 300, height: 250, assetId: asset.id, landingUrl: 'https://shop.nordlicht.example/', alt: 'Nordlicht' }),
    201,
  ).id;
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('editing and archiving sites and creatives in the console', () => {
  it('edits a site with field errors in German, archives and restores it, edits, re-images, archives and restores a creative', async () => {
    const { page, watch } = await h.newPage();
    page.on('dialog', (d) => void d.accept());
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);

    // The site: a domain with a scheme is refused at its field, in German; a good one is saved.
    await page.goto(`${h.app.adminUrl}/sites/${siteId}`);
    await expectHeading(page, 'Nordlicht News');
    await page.getByTestId('site-edit').click();
    const siteForm = page.getByTestId('site-edit-form');
    await siteForm.getByLabel('Name', { exact: true }).fill('Nordlicht Nachrichten');
    const domain = siteForm.getByLabel('Domain oder App-ID');
    await domain.fill('https://nachrichten.nordlicht.example/');
    await page.getByTestId('site-save').click();
    await expect.poll(() => siteForm.locator('.field-error').allTextContents()).toEqual([
      'Bitte eine Domain wie beispiel.de oder eine App-ID wie com.firma.app eingeben (ohne https://, Pfad oder Port).',
    ]);
    expect(await domain.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, '74-site-edit-de');
    await domain.fill('nachrichten.nordlicht.example');
    await page.getByTestId('site-save').click();
    await expect.poll(() => page.getByTestId('site-saved').textContent()).toBe('Änderungen gespeichert.');
    await expectHeading(page, 'Nordlicht Nachrichten');
    expect(siteRow(siteId)).toMatchObject({ name: 'Nordlicht Nachrichten', domain: 'nachrichten.nordlicht.example', archivedAt: null });

    // Archived: the page says so, the list hides it unless asked; restored, it is back.
    await page.getByTestId('site-archive').click();
    await expect.poll(() => page.getByTestId('site-saved').textContent()).toBe('„Nordlicht Nachrichten“ wurde archiviert.');
    expect(await page.getByTestId('site-archived-note').textContent()).toContain('Ihre Werbeflächen liefern nichts aus');
    expect(await page.getByTestId('zone-edit').count()).toBe(0);
    expect(siteRow(siteId).archivedAt).not.toBeNull();
    await screenshot(page, '75-site-archived-de');
    await page.getByTestId('nav-sites').click();
    await expectHeading(page, 'Websites & Apps');
    await expect.poll(() => page.getByText('Noch keine Websites oder Apps.').count()).toBe(1);
    await page.getByTestId('show-archived-sites').check();
    await expect.poll(() => siteLinks(page)).toEqual(['Nordlicht Nachrichten']);
    expect(await page.getByTestId('site-archived-badge').textContent()).toBe('Archiviert');
    await screenshot(page, '75-sites-archived-list-de');
    await page.getByRole('link', { name: 'Nordlicht Nachrichten' }).click();
    await expectHeading(page, 'Nordlicht Nachrichten');
    await page.getByTestId('site-restore').click();
    await expect.poll(() => page.getByTestId('site-saved').textContent()).toBe('„Nordlicht Nachrichten“ wurde wiederhergestellt.');
    expect(await page.getByTestId('site-archived-note').count()).toBe(0);
    await page.getByTestId('nav-sites').click();
    await expect.poll(() => siteLinks(page)).toEqual(['Nordlicht Nachrichten']);
    expect(await page.getByTestId('site-archived-badge').count()).toBe(0);

    // The creative: a new name and landing URL.
    await page.goto(`${h.app.adminUrl}/campaigns/${campaignId}`);
    await expectHeading(page, 'Herbstaktion');
    await page.getByTestId('creative-edit').click();
    const edit = page.getByTestId('creative-edit-form');
    await edit.getByLabel('Bezeichnung').fill('Rechteck Herbst');
    await edit.getByLabel('Ziel-URL').fill('https://shop.nordlicht.example/herbst');
    await screenshot(page, '76-creative-edit-de');
    await page.getByTestId('creative-save').click();
    await expect.poll(() => page.getByTestId('creative-notice').textContent()).toBe('Änderungen an „Rechteck Herbst“ gespeichert.');
    expect(await page.getByTestId('creative-list').textContent()).toContain('https://shop.nordlicht.example/herbst');
    const before = creativeRow(creativeId);
    expect(before).toMatchObject({ name: 'Rechteck Herbst', landingUrl: 'https://shop.nordlicht.example/herbst' });

    // An image of another size is refused at the image field, naming both sizes; one of the same size replaces it.
    await page.getByTestId('creative-edit').click();
    await expect.poll(() => edit.getByText('Bild ersetzen (gleiche Größe, 300×250)').count()).toBe(1);
    await edit.getByTestId('image-file').setInputFiles({ name: 'leaderboard.png', mimeType: 'image/png', buffer: solidPng(728, 90, [200, 60, 40]) });
    await expect.poll(() => edit.getByRole('status').textContent()).toContain('Bild hochgeladen (728 × 90 px).');
    watch.expectHttpError({ path: `/api/creatives/${creativeId}`, status: 409 });
    await page.getByTestId('creative-save').click();
    await expect
      .poll(() => edit.getByTestId('image-error').textContent())
      .toBe('Das neue Bild ist 728×90 groß, das Werbemittel aber 300×250. Bitte ein Bild derselben Größe hochladen.');
    expect(await edit.getByTestId('image-file').getAttribute('aria-invalid')).toBe('true');
    expect(creativeRow(creativeId).assetId).toBe(before.assetId);
    await screenshot(page, '77-creative-image-refused-de');
    await edit.getByTestId('image-file').setInputFiles({ name: 'rechteck.png', mimeType: 'image/png', buffer: solidPng(300, 250, [40, 160, 90]) });
    await expect.poll(() => edit.getByRole('status').textContent()).toContain('Bild hochgeladen (300 × 250 px).');
    await page.getByTestId('creative-save').click();
    await expect.poll(() => page.getByTestId('creative-notice').textContent()).toBe('Änderungen an „Rechteck Herbst“ gespeichert.');
    const replaced = creativeRow(creativeId).assetId;
    expect(replaced).not.toBe(before.assetId);
    expect(await page.getByTestId('creative-thumb').getAttribute('src')).toBe(`/api/assets/${replaced}/content`);

    // Archived: hidden unless asked for, marked when shown; restored, it is back.
    await page.getByTestId('creative-archive').click();
    await expect.poll(() => page.getByTestId('creative-notice').textContent()).toBe('„Rechteck Herbst“ wurde archiviert.');
    expect(creativeRow(creativeId).archivedAt).not.toBeNull();
    await expect.poll(() => page.getByText('Alle Werbemittel dieser Kampagne sind archiviert').count()).toBe(1);
    expect(await page.getByTestId('creative-list').count()).toBe(0);
    await page.getByTestId('show-archived-creatives').check();
    await expect.poll(() => page.getByTestId('creative-archived-badge').textContent()).toBe('Archiviert');
    await screenshot(page, '78-creative-archived-de');
    await page.getByTestId('creative-restore').click();
    await expect.poll(() => page.getByTestId('creative-notice').textContent()).toBe('„Rechteck Herbst“ wurde wiederhergestellt.');
    expect(creativeRow(creativeId).archivedAt).toBeNull();
    expect(await page.getByTestId('creative-archived-badge').count()).toBe(0);

    // English.
    await page.getByTestId('locale-switch').selectOption('en');
    await page.getByTestId('creative-edit').click();
    await edit.getByTestId('image-file').setInputFiles({ name: 'skyscraper.png', mimeType: 'image/png', buffer: solidPng(160, 600, [90, 40, 160]) });
    await expect.poll(() => edit.getByRole('status').textContent()).toContain('Image uploaded (160 × 600 px).');
    watch.expectHttpError({ path: `/api/creatives/${creativeId}`, status: 409 });
    await page.getByTestId('creative-save').click();
    await expect
      .poll(() => edit.getByTestId('image-error').textContent())
      .toBe('The new image is 160×600, but the creative is 300×250. Please upload an image of the same size.');
    await screenshot(page, '77-creative-image-refused-en');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('creative-edit').click();
    await edit.getByLabel('Label').fill('Rectangle autumn');
    await screenshot(page, '76-creative-edit-en');
    await page.getByTestId('creative-save').click();
    await expect.poll(() => page.getByTestId('creative-notice').textContent()).toBe('Changes to “Rectangle autumn” saved.');
    await page.getByTestId('creative-archive').click();
    await expect.poll(() => page.getByTestId('creative-notice').textContent()).toBe('“Rectangle autumn” was archived.');
    await page.getByTestId('show-archived-creatives').check();
    await screenshot(page, '78-creative-archived-en');

    await page.goto(`${h.app.adminUrl}/sites/${siteId}`);
    await expectHeading(page, 'Nordlicht Nachrichten');
    await page.getByTestId('site-edit').click();
    await siteForm.getByLabel('Domain or app id').fill('nachrichten.nordlicht.example:8080');
    await page.getByTestId('site-save').click();
    await expect
      .poll(() => siteForm.locator('.field-error').allTextContents())
      .toEqual(['Enter a domain like example.com or an app id like com.company.app (no https://, path or port).']);
    await screenshot(page, '74-site-edit-en');
    await siteForm.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('site-archive').click();
    await expect.poll(() => page.getByTestId('site-saved').textContent()).toBe('“Nordlicht Nachrichten” was archived.');
    expect(await page.getByTestId('site-archived-note').textContent()).toContain('its zones serve nothing');
    await screenshot(page, '75-site-archived-en');
    await page.getByTestId('nav-sites').click();
    await expectHeading(page, 'Sites & apps');
    await page.getByTestId('show-archived-sites').check();
    await expect.poll(() => siteLinks(page)).toEqual(['Nordlicht Nachrichten']);
    await screenshot(page, '75-sites-archived-list-en');
    expectCleanPage(watch);
  }, 120_000);
});
