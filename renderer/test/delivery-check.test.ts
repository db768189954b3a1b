/**
 * "Why is my ad not showing?" in the console: a campaign without a zone is listed as "liefert nicht aus" with its
 * reason, its detail says why and links to the fix; linking the zone in the form makes it "liefert aus" in the
 * detail and the list. Screenshots of the list and detail in German and English.
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

beforeAll(async () => {
  h = await startConsoleHarness();
  await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
  // The catalogue through the admin API: one campaign without a zone, one whose creative fits no zone, one delivering.
  const api = await signInAs(h.app, 'admin');
  const customer = expectStatus(await api.post('/api/customers', { name: 'Nordlicht Media GmbH', email: 'k@nordlicht.example', kind: 'both' }), 201);
  const site = expectStatus(await api.post('/api/sites', { customerId: customer.id, name: 'Nordlicht News', domain: 'news.nordlicht.example' }), 201);
  const zone = expectStatus(await api.post('/api/zones', { siteId: site.id, name: 'Medium Rectangle', width: 300, height: 250 }), 201);
  const flight = { customerId: customer.id, startsAt: new Date(Date.now() - DAY).toISOString(), endsAt: new Date(Date.now() + 30 * DAY).toISOString(), status: 'active' };
  const creative = async (campaignId: string, width: number, height: number) => {
    const asset = await uploadPng(api, width, height);
    expectStatus(await api.post('/api/creatives', { campaignId, name: `Banner ${width}x${height}`, width, height, assetId: asset.id, landingUrl: 'https://shop.nordlicht.example/', alt: 'Nordlicht' }), 201);
  };
  const noZone = expectStatus(await api.post('/api/campaigns', { ...flight, name: 'Sommeraktion', zoneIds: [] }), 201);
  await creative(noZone.id, 300, 250);
  // A creative that fits no zone is refused, so the misfit arises as in practice: the creative first, the zone linked later.
  const wrongSize = expectStatus(await api.post('/api/campaigns', { ...flight, name: 'Leaderboard-Aktion', zoneIds: [], goal: { kind: 'impressions', count: 1000 } }), 201);
  await creative(wrongSize.id, 728, 90);
  expectStatus(await api.patch(`/api/campaigns/${wrongSize.id}`, { zoneIds: [zone.id] }), 200);
  const running = expectStatus(await api.post('/api/campaigns', { ...flight, name: 'Dauerbrenner', zoneIds: [zone.id], targeting: { keywords: ['sport'] } }), 201);
  await creative(running.id, 300, 250);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('a campaign that will not deliver says why until it is fixed', () => {
  it('lists the reason in German, links to the fix, and shows "liefert aus" once the zone is linked', async () => {
    const { page, watch } = await h.newPage();
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await page.getByTestId('nav-campaigns').click();
    await expectHeading(page, 'Kampagnen');
    const row = (name: string) => page.getByRole('row', { name: new RegExp(name) });
    await expect.poll(() => row('Sommeraktion').locator('td.delivery').textContent()).toContain('liefert nicht aus: Die Kampagne ist mit keiner Werbefläche verknüpft.');
    expect(await row('Leaderboard-Aktion').locator('td.delivery').textContent()).toContain(
      'liefert nicht aus: Kein aktives Werbemittel hat die Größe einer verknüpften Werbefläche (300×250); die aktiven haben 728×90.',
    );
    expect((await row('Dauerbrenner').locator('td.delivery').textContent())?.trim()).toBe('liefert aus');
    expect(await row('Leaderboard-Aktion').textContent()).toMatch(/0,00\s%/); // goal progress of a goal with nothing served
    await screenshot(page, '60-campaigns-delivery-de');

    await row('Sommeraktion').getByRole('link', { name: 'Sommeraktion' }).click();
    await expectHeading(page, 'Sommeraktion');
    const check = page.locator('.delivery-check');
    await expect.poll(() => check.getAttribute('data-delivery')).toBe('will_not_deliver');
    expect(await check.locator('[data-reason="no_zone"]').textContent()).toContain('Die Kampagne ist mit keiner Werbefläche verknüpft.');
    await screenshot(page, '61-campaign-delivery-check-de');

    // The fix: the link opens the form, the zone is linked, the check turns to "liefert aus".
    await check.getByRole('link', { name: 'Werbefläche hinzufügen' }).click();
    await expectHeading(page, 'Kampagne bearbeiten');
    await page.getByLabel('Medium Rectangle (300 × 250)').check();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await expectHeading(page, 'Sommeraktion');
    await expect.poll(() => page.locator('.delivery-check').getAttribute('data-delivery')).toBe('delivering');
    expect(await page.locator('.delivery-check').textContent()).toContain('liefert aus');
    await page.getByTestId('nav-campaigns').click();
    await expect.poll(async () => (await row('Sommeraktion').locator('td.delivery').textContent())?.trim()).toBe('liefert aus');

    // English: the same reasons in English, conditions of request targeting stated, not failed.
    await page.getByTestId('locale-switch').selectOption('en');
    await expect.poll(() => row('Leaderboard-Aktion').locator('td.delivery').textContent()).toContain(
      'will not deliver: No active creative has the size of a linked zone (300×250); the active ones are 728×90.',
    );
    await screenshot(page, '62-campaigns-delivery-en');
    await row('Dauerbrenner').getByRole('link', { name: 'Dauerbrenner' }).click();
    await expectHeading(page, 'Dauerbrenner');
    await expect.poll(() => page.locator('.delivery-check').textContent()).toContain('on pages with the keywords sport');
    expect(await page.locator('.delivery-check').getAttribute('data-delivery')).toBe('delivering');
    await page.getByTestId('nav-campaigns').click();
    await row('Leaderboard-Aktion').getByRole('link', { name: 'Leaderboard-Aktion' }).click();
    await expectHeading(page, 'Leaderboard-Aktion');
    await expect.poll(() => page.locator('.delivery-check [data-reason="no_active_creative_of_zone_size"]').textContent()).toContain('Add a creative');
    await screenshot(page, '63-campaign-delivery-check-en');
    await page.getByTestId('locale-switch').selectOption('de');
    await expect.poll(() => page.locator('.delivery-check').textContent()).toContain('Werbemittel hinzufügen');
    await screenshot(page, '64-campaign-delivery-check-wrong-size-de');
    expectCleanPage(watch);
  }, 120_000);
});
