import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeFor, waitForFreshTotpCode } from '../../server/test/totp-fixture';
import { totpStepAt } from '../../server/auth/totp';
import { screenshot, type PageWatch } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { seedPortalWorld, staffApi, type PortalWorld, type StaffApi } from './harness/portal-seed';
import { createFirstAdmin, expectHeading, signIn } from './harness/staff';

const PASSWORD = 'correct horse battery';
const CUSTOMER_PASSWORD = 'Nordlicht-Portal-2025';
const CUSTOMER_EMAIL = 'mara@nordlicht.example';
let h: ConsoleHarness;
let staff: StaffApi;
let world: PortalWorld;

/** One ad decision in the zone, optionally seen and clicked (a visitor on the publisher's page). */
async function serve(zoneId: string, opts: { seen?: boolean; clicked?: boolean } = {}): Promise<void> {
  // The delivery index picks up new zones and campaigns a moment after they are saved (until then 404
  // for the zone, or 204: nothing to serve yet).
  let res = await fetch(`${h.app.deliveryUrl}/v1/decision?zone=${zoneId}`);
  for (let i = 0; (res.status === 204 || res.status === 404) && i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    res = await fetch(`${h.app.deliveryUrl}/v1/decision?zone=${zoneId}`);
  }
  expect(res.status).toBe(200);
  const d = (await res.json()) as { impressionUrl: string; clickUrl: string };
  if (opts.seen) expect((await fetch(d.impressionUrl)).status).toBeLessThan(400);
  if (opts.clicked) await fetch(d.clickUrl, { redirect: 'manual' });
}

beforeAll(async () => {
  h = await startConsoleHarness();
  const cookie = await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
  staff = staffApi(h.app.adminUrl, cookie);
  world = await seedPortalWorld(staff, 'Nordlicht Media GmbH');
  // Three ads served to visitors: two seen, one of those clicked.
  await serve(world.zoneId, { seen: true, clicked: true });
  await serve(world.zoneId, { seen: true });
  await serve(world.zoneId);
}, 120_000);
afterAll(async () => {
  await h?.close();
});

/** Signs in on the portal's form, answering the code step when `code` is given. */
async function portalSignIn(page: Page, watch: PageWatch, code?: () => Promise<string>): Promise<void> {
  await page.getByLabel('E-Mail-Adresse').fill(CUSTOMER_EMAIL);
  await page.getByLabel('Passwort').fill(CUSTOMER_PASSWORD);
  if (code) watch.expectHttpError({ path: '/portal-api/session', status: 401 }); // totp_required: the code step
  await page.getByRole('button', { name: 'Anmelden' }).click();
  if (code) {
    await page.getByLabel('Bestätigungscode').fill(await code());
    await page.getByRole('button', { name: 'Bestätigen' }).click();
  }
}

describe('a customer gets portal access and uses it', () => {
  it('invited by staff, sees statistics, corrects data, turns on TOTP, answers a request and requests deletion', async () => {
    // Staff: customer detail → Portal access → invite; without SMTP the console shows the link to copy.
    const console = await h.newPage();
    await console.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.adminOrigin });
    await signIn(console.page, console.watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await console.page.goto(`${h.app.adminUrl}/customers/${world.customerId}`);
    await expectHeading(console.page, 'Nordlicht Media GmbH');
    const access = console.page.getByTestId('portal-access');
    await access.getByLabel('E-Mail-Adresse der einzuladenden Person').fill(CUSTOMER_EMAIL);
    await access.getByRole('button', { name: 'Zum Portal einladen' }).click();
    await expect.poll(() => access.getByTestId('invitation-created').textContent()).toContain('Kein E-Mail-Versand eingerichtet');
    const invitationUrl = (await access.getByTestId('invitation-link').textContent())!.trim();
    expect(invitationUrl).toMatch(new RegExp(`^${h.app.portalUrl}/#/invite/[A-Za-z0-9_-]+$`));
    await access.getByRole('button', { name: 'Link kopieren' }).click();
    expect(await console.page.evaluate(() => navigator.clipboard.readText())).toBe(invitationUrl);
    expect(await access.getByTestId('portal-invitations').textContent()).toContain(CUSTOMER_EMAIL);
    await screenshot(console.page, '40-portal-invite');

    // The customer opens the link: it names the customer and the address, then takes a new password.
    const { context, page, watch } = await h.newPage([h.portalOrigin]);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.portalOrigin });
    watch.expectHttpError({ path: '/portal-api/me', status: 401 }); // not signed in yet
    await page.goto(invitationUrl);
    await expectHeading(page, 'Einladung annehmen');
    await expect.poll(() => page.getByTestId('invitation-customer').textContent()).toBe('Nordlicht Media GmbH');
    expect(await page.getByTestId('invitation-email').textContent()).toBe(CUSTOMER_EMAIL);
    await page.getByLabel('Neues Passwort').fill('kurz');
    await page.getByLabel('Passwort wiederholen').fill('kurz');
    await page.getByRole('button', { name: 'Passwort festlegen und anmelden' }).click();
    await expect.poll(() => page.getByText(/Mindestens \d+ Zeichen\./).count()).toBeGreaterThan(1); // hint and error
    await page.getByLabel('Neues Passwort').fill(CUSTOMER_PASSWORD);
    await page.getByLabel('Passwort wiederholen').fill(`${CUSTOMER_PASSWORD}!`);
    await page.getByRole('button', { name: 'Passwort festlegen und anmelden' }).click();
    await expect.poll(() => page.getByText('Die Passwörter stimmen nicht überein.').count()).toBe(1);
    await page.getByLabel('Passwort wiederholen').fill(CUSTOMER_PASSWORD);
    await screenshot(page, '41-portal-invitation');
    await page.getByRole('button', { name: 'Passwort festlegen und anmelden' }).click();

    // Overview: the last 7 days as numbers and a chart.
    await expectHeading(page, 'Übersicht');
    expect(await page.getByTestId('portal-customer').textContent()).toContain('Nordlicht Media GmbH');
    await expect.poll(() => page.getByTestId('kpi-impressions').locator('dd').textContent()).toBe('2');
    expect(await page.getByTestId('kpi-served').locator('dd').textContent()).toBe('3');
    expect(await page.getByTestId('kpi-clicks').locator('dd').textContent()).toBe('1');
    expect(await page.getByTestId('active-campaigns').textContent()).toBe('Aktive Kampagnen: 1');
    expect(await page.getByTestId('series-chart').isVisible()).toBe(true);
    await screenshot(page, '42-portal-overview');

    // Campaign → its statistics, split by creative, with the chart and a CSV download.
    await page.getByTestId('nav-campaigns').click();
    await expectHeading(page, 'Kampagnen');
    await page.getByRole('link', { name: 'Herbstaktion' }).click();
    await expectHeading(page, 'Herbstaktion');
    await expect.poll(() => page.getByTestId('total-impressions').first().textContent()).toBe('2');
    await page.getByTestId('stats-filters').getByLabel('Aufschlüsselung').selectOption('creative');
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await expect.poll(() => page.getByTestId('breakdown-chart').count()).toBe(1);
    expect(await page.getByTestId('series-chart').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('total-impressions').first().textContent()).toBe('2');
    await screenshot(page, '43-portal-campaign-statistics');
    const download = page.waitForEvent('download');
    await page.getByTestId('stats-csv').click();
    const csv = fs.readFileSync((await (await download).path())!, 'utf8').split('\r\n');
    expect(csv[0]).toBe('creative,name,time,served,impressions,viewable,measurable,viewable_rate,clicks,ctr,reach,revenue_eur');
    expect(csv.some((l) => l.startsWith(`${world.creativeId},`))).toBe(true);

    // Creatives with their preview: the image from the portal's own origin, the HTML creative in a
    // sandboxed frame (no scripts, opaque origin) under the portal's CSP.
    await page.getByTestId('nav-creatives').click();
    await expectHeading(page, 'Werbemittel');
    const preview = page.getByTestId('creative-preview').first();
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(300);
    const htmlRow = page.getByRole('row', { name: /Herbst-Text/ });
    expect(await htmlRow.textContent()).toContain('pausiert');
    await htmlRow.getByText('Vorschau').click();
    await expect.poll(() => htmlRow.getByTestId('html-preview').getAttribute('sandbox')).toBe('');
    await expect.poll(() => page.frameLocator('[data-testid=html-preview]').locator('body').textContent()).toContain('20 % auf alles');
    await screenshot(page, '44-portal-creatives');

    // Sites & zones: the ad tags to copy.
    await page.getByTestId('nav-sites').click();
    await expectHeading(page, 'Websites & Werbeflächen');
    const tags = page.getByTestId(`zone-tag-${world.zoneId}`);
    await tags.getByRole('button', { name: 'JS-Tag kopieren' }).click();
    await expect.poll(() => tags.getByText('In die Zwischenablage kopiert.').count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`<script src="${h.app.deliveryUrl}/v1/zone/${world.zoneId}.js" async></script>`);
    await screenshot(page, '44a-portal-sites');

    // My data: correct the contact data; a wrong address is caught at the field.
    await page.getByTestId('nav-account').click();
    await expectHeading(page, 'Meine Daten');
    await expect.poll(() => page.getByTestId('account-details').textContent()).toContain('kontakt@nordlicht.example');
    await page.getByTestId('account-edit').click();
    const form = page.getByTestId('account-form');
    await form.getByLabel('E-Mail-Adresse').fill('kein-gueltiger-wert');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(() => form.getByText('Bitte eine gültige E-Mail-Adresse eingeben.').count()).toBe(1);
    await form.getByLabel('E-Mail-Adresse').fill('buchhaltung@nordlicht.example');
    await form.getByLabel('Telefon').fill('+49 40 1234567');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Ihre Daten wurden berichtigt.' }).count()).toBe(1);
    expect(await page.getByTestId('account-details').textContent()).toContain('+49 40 1234567');
    // Staff see the correction.
    expect((await staff.call<Record<string, unknown>>('GET', `/api/customers/${world.customerId}`)).body).toMatchObject({ email: 'buchhaltung@nordlicht.example', phone: '+49 40 1234567' });
    const exported = page.waitForEvent('download');
    await page.getByTestId('account-export').click();
    const exportText = fs.readFileSync((await (await exported).path())!, 'utf8');
    expect(exportText).toContain(world.customerId);
    expect(exportText).toContain('buchhaltung@nordlicht.example');
    await screenshot(page, '45-portal-my-data');

    // Account security: TOTP on (secret and QR code), recovery codes, then sign in again with a code.
    await page.getByTestId('nav-security').click();
    await expectHeading(page, 'Kontosicherheit');
    await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einrichten' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    expect(await page.getByTestId('totp-qr').isVisible()).toBe(true);
    expect(await page.getByTestId('totp-uri').textContent()).toMatch(/^otpauth:\/\/totp\//);
    const enrolledAt = new Date();
    await page.getByLabel('Code aus der App').fill(totpCodeFor(secret, enrolledAt));
    await page.getByRole('button', { name: 'Bestätigen und einschalten' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').locator('li').count()).toBeGreaterThan(5);
    await screenshot(page, '46-portal-totp');
    await page.getByRole('button', { name: 'Ich habe die Codes gespeichert' }).click();
    await expect.poll(() => page.getByTestId('totp-state').textContent()).toBe('eingeschaltet');
    await page.getByTestId('sign-out').click();
    await expectHeading(page, 'Anmelden');
    await portalSignIn(page, watch, async () => (await waitForFreshTotpCode(secret, totpStepAt(enrolledAt.getTime()))).code);
    await expectHeading(page, 'Übersicht');

    // A data subject writes through the public contact form on the portal's origin (no script, no session) …
    const subject = await h.newPage([h.portalOrigin]);
    await subject.page.goto(`${h.app.portalUrl}/kontakt`);
    await subject.page.selectOption('select[name=kind]', 'access');
    await subject.page.fill('input[name=name]', 'Erika Muster');
    await subject.page.fill('input[name=email]', 'erika@example.org');
    await subject.page.fill('textarea[name=message]', 'Welche Daten speichern Sie über mich?');
    await Promise.all([subject.page.waitForLoadState('load'), subject.page.click('button[type=submit]')]);
    await expectHeading(subject.page, 'Vielen Dank');
    const requestId = (await subject.page.locator('main code').textContent())!.trim();
    expect(requestId).toMatch(/^req_[a-z2-7]{16}$/);
    await screenshot(subject.page, '47b-public-contact-sent');
    expectCleanPage(subject.watch);

    // … staff forward it to the customer in the console (the portal is the channel; no SMTP here) …
    await console.page.getByTestId('nav-requests').click();
    await expectHeading(console.page, 'Anfragen');
    await console.page.getByTestId('request-table').getByRole('button').first().click();
    await expect.poll(() => console.page.getByTestId('request-detail').textContent()).toContain(requestId);
    await console.page.getByLabel('An Kunden weiterleiten').selectOption({ label: 'Nordlicht Media GmbH' });
    await console.page.getByRole('button', { name: 'Weiterleiten' }).click();
    await expect.poll(() => console.page.getByRole('status').filter({ hasText: 'Weitergeleitet.' }).count()).toBe(1);

    // … and the customer reads and answers it in the portal.
    await page.getByTestId('nav-requests').click();
    await expectHeading(page, 'Anfragen');
    await expect.poll(() => page.getByTestId('request-list').textContent()).toContain('Auskunft');
    await page.getByTestId('request-list').getByRole('link').first().click();
    await expect.poll(() => page.getByTestId('request-message').textContent()).toBe('Welche Daten speichern Sie über mich?');
    expect(await page.getByTestId('request-name').textContent()).toBe('Erika Muster');
    await page.getByLabel('Ihre Antwort').fill('Wir haben nur Ihre Kontaktanfrage gespeichert.');
    await page.getByRole('button', { name: 'Antwort senden' }).click();
    await expect.poll(() => page.getByTestId('request-replies').textContent()).toContain('Wir haben nur Ihre Kontaktanfrage gespeichert.');
    await page.getByTestId('status-done').click();
    await expect.poll(() => page.getByTestId('request-status').textContent()).toBe('erledigt');
    await screenshot(page, '47-portal-request');
    // Staff see the customer's answer and status in the console's requests view.
    await console.page.reload();
    await expectHeading(console.page, 'Anfragen');
    await expect.poll(() => console.page.getByTestId('request-customer-status-badge').first().textContent()).toContain('Kunde: erledigt');
    await console.page.getByTestId('request-table').getByRole('button').first().click();
    await expect.poll(() => console.page.getByTestId('request-customer-replies').textContent()).toContain('Wir haben nur Ihre Kontaktanfrage gespeichert.');
    expect(await console.page.getByTestId('request-customer-status').textContent()).toBe('erledigt');
    await screenshot(console.page, '47a-console-request-answered');

    // Deletion: explained, confirmed; signed out with the message; the next sign-in is refused.
    await page.getByTestId('nav-account').click();
    await expectHeading(page, 'Meine Daten');
    await page.getByRole('button', { name: 'Löschung beantragen…' }).click();
    await expect.poll(() => page.getByTestId('confirm-panel').textContent()).toContain('gesetzlichen Aufbewahrungsfristen');
    await page.getByRole('button', { name: 'Ja, Konto sperren und Löschung beantragen' }).click();
    await expectHeading(page, 'Anmelden');
    expect(await page.getByTestId('signed-out-reason').textContent()).toContain('Die Löschung Ihres Kundenkontos ist beantragt');
    await screenshot(page, '48-portal-deletion-requested');
    watch.expectHttpError({ path: '/portal-api/session', status: 403 });
    await portalSignIn(page, watch);
    await expect.poll(() => page.getByTestId('sign-in-restricted').textContent()).toContain('Dieses Kundenkonto ist gesperrt, weil seine Löschung beantragt wurde');
    await screenshot(page, '49-portal-sign-in-refused');
    expect((await staff.call<Record<string, unknown>>('GET', `/api/customers/${world.customerId}`)).body.status).toBe('restricted');

    // Staff: the locked customer's portal user is listed; disabled, enabled and finally removed after a confirmation.
    await console.page.goto(`${h.app.adminUrl}/customers/${world.customerId}`);
    const users = console.page.getByTestId('portal-users');
    await expect.poll(() => users.textContent()).toContain(CUSTOMER_EMAIL);
    await users.getByRole('button', { name: 'Sperren' }).click();
    await expect.poll(() => users.textContent()).toContain('gesperrt');
    await users.getByRole('button', { name: 'Entsperren' }).click();
    await expect.poll(() => users.getByRole('button', { name: 'Sperren' }).count()).toBe(1);
    await users.getByRole('button', { name: 'Entfernen' }).click();
    await expect.poll(() => users.getByText(`${CUSTOMER_EMAIL} endgültig entfernen?`).count()).toBe(1);
    await users.getByRole('button', { name: 'Entfernen' }).click();
    await expect.poll(() => console.page.getByTestId('portal-access').textContent()).toContain('Noch keine Portalnutzer.');
    await screenshot(console.page, '49a-console-portal-access');

    // English works as well (the switch is on the sign-in page too).
    await page.getByTestId('locale-switch').selectOption('en');
    await expectHeading(page, 'Sign in');

    expectCleanPage(watch);
    expectCleanPage(console.watch);
  }, 180_000);
});
