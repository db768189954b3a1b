import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { createFirstAdmin, createStaff, expectHeading, signIn, staffApi } from './harness/staff';

const PASSWORD = 'correct horse battery';
let h: ConsoleHarness;
let cookie: string;

const api = staffApi(() => h.app.adminUrl, () => cookie);

beforeAll(async () => {
  h = await startConsoleHarness();
  cookie = await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
}, 120_000);
afterAll(async () => h?.close());

describe('the admin views', () => {
  it('manages users, switches the language, exports and restricts a customer, handles a request, previews HTML, verifies the audit log', async () => {
    const { page, watch } = await h.newPage();
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await screenshot(page, '02-dashboard-empty');

    // Users: a new analyst account; the form explains what is wrong at the fields.
    await page.getByTestId('nav-users').click();
    await expectHeading(page, 'Benutzer');
    await page.getByRole('button', { name: 'Neues Konto' }).click();
    const form = page.getByTestId('user-form');
    await form.getByLabel('Name').fill('Anna Analyst');
    await form.getByLabel('E-Mail-Adresse').fill('anna@example.test');
    await form.getByLabel('Anfangspasswort').fill('short');
    await form.getByRole('button', { name: 'Anlegen' }).click();
    // The messages sit at their fields (the hint under the password field says the same, so look at errors only).
    await expect.poll(() => form.locator('.field-error').allTextContents()).toEqual(['Mindestens 12 Zeichen.', 'Mindestens 1 auswählen.']);
    await form.getByLabel('Anfangspasswort').fill(PASSWORD);
    await form.getByLabel('Analyse').check();
    await form.getByRole('button', { name: 'Anlegen' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Konto angelegt.' }).count()).toBe(1);
    expect(await page.getByTestId('user-table').textContent()).toContain('anna@example.test');
    await screenshot(page, '30-users');

    // English is switchable and remembered.
    await page.getByTestId('locale-switch').selectOption('en');
    await expectHeading(page, 'Users');
    await page.reload();
    await expectHeading(page, 'Users');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByTestId('locale-switch').selectOption('de');
    await expectHeading(page, 'Benutzer');

    // Customer: export (JSON download) and deletion request (restricts).
    const customer = await api<{ id: string }>('POST', '/api/customers', { name: 'Alt & Neu KG', email: 'info@altneu.example' });
    await page.goto(`${h.app.adminUrl}/customers/${customer.id}`);
    await expectHeading(page, 'Alt & Neu KG');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Daten exportieren (JSON)' }).click();
    const exported = JSON.parse(fs.readFileSync((await (await download).path())!, 'utf8')) as { customer: { name: string } };
    expect(exported.customer.name).toBe('Alt & Neu KG');
    await page.getByRole('button', { name: 'Löschung beantragen' }).click();
    await page.getByRole('button', { name: 'Ja, Konto sperren und Löschung beantragen' }).click();
    await expect.poll(() => page.getByTestId('customer-restricted').textContent()).toMatch(/Gesperrt seit .*Endgültige Löschung ab/);
    expect(await page.getByRole('button', { name: 'Bearbeiten' }).count()).toBe(0);
    await screenshot(page, '31-customer-restricted');
    await page.getByTestId('nav-customers').click();
    await expect.poll(() => page.getByRole('row', { name: /Alt & Neu KG/ }).textContent()).toContain('eingeschränkt');
    expect(await page.getByRole('row', { name: /Alt & Neu KG/ }).textContent()).toContain('info@altneu.example');
    await screenshot(page, '32-customers');

    // Requests inbox: a data-subject request sent through the public contact form.
    const sent = await fetch(`${h.app.deliveryUrl}/v1/contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Erika Muster', email: 'erika@example.test', message: 'Welche Daten haben Sie über mich?', kind: 'access' }),
    });
    expect(sent.status).toBe(202);
    await page.getByTestId('nav-requests').click();
    await expectHeading(page, 'Anfragen');
    await page.getByRole('row', { name: /Auskunft/ }).getByRole('button').click();
    const detail = page.getByTestId('request-detail');
    await expect.poll(() => detail.textContent()).toContain('Welche Daten haben Sie über mich?');
    await detail.getByLabel('Status').selectOption('in_progress');
    await detail.getByLabel('Antwort').fill('Wir stellen Ihnen die Auskunft zusammen.');
    await detail.getByRole('button', { name: 'Speichern' }).click();
    await expect.poll(() => detail.getByRole('status').textContent()).toBe('Gespeichert.');
    await expect.poll(() => page.getByTestId('request-table').textContent()).toContain('in Bearbeitung');
    await screenshot(page, '33-requests');

    // HTML creative: previewed in an iframe with an empty sandbox.
    const advertiser = await api<{ id: string }>('POST', '/api/customers', { name: 'Sonnenschein AG', email: 'ads@sonne.example' });
    const campaign = await api<{ id: string }>('POST', '/api/campaigns', {
      customerId: advertiser.id,
      name: 'Sommer',
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    await page.goto(`${h.app.adminUrl}/campaigns/${campaign.id}`);
    await expectHeading(page, 'Sommer');
    await page.getByLabel('HTML', { exact: true }).check();
    await page.getByTestId('creative-form').getByRole('textbox', { name: 'HTML' }).fill('<div style="background:#fc0;width:300px;height:250px">Sommer-Sale <b>−30 %</b></div>');
    const preview = page.getByTestId('html-preview');
    expect(await preview.getAttribute('sandbox')).toBe('');
    expect(await page.frameLocator('[data-testid="html-preview"]').locator('b').textContent()).toBe('−30 %');
    await page.getByLabel('Ziel-URL').fill('https://sonne.example/sale');
    await page.getByLabel('Alternativtext').fill('Sommer-Sale bei Sonnenschein');
    await page.getByRole('button', { name: 'Anlegen' }).click();
    await expect.poll(() => page.getByTestId('creative-list').textContent()).toContain('Sommer-Sale bei Sonnenschein');
    await screenshot(page, '34-html-creative');

    // Audit log: the chain verifies; the actions above are listed.
    await page.getByTestId('nav-audit').click();
    await expect.poll(() => page.getByTestId('audit-verification').textContent()).toMatch(/Die Prüfkette ist intakt/);
    const audit = await page.getByTestId('audit-table').textContent();
    // Readable actions (renderer/src/components/audit/audit-action-texts.ts), not codes.
    for (const action of ['Konto angelegt', 'Kundendaten exportiert', 'Kundenkonto eingeschränkt (Löschantrag)', 'Anfrage geändert']) expect(audit).toContain(action);
    await screenshot(page, '35-audit');
    expectCleanPage(watch);
  }, 120_000);

  it('shows an analyst only their areas, refuses the others, and is keyboard reachable', async () => {
    await createStaff(h.app.adminUrl, cookie, { email: 'otto@example.test', name: 'Otto Analyst', password: PASSWORD, roles: ['analyst'] });
    const { page, watch } = await h.newPage();
    await signIn(page, watch, h.app.adminUrl, 'otto@example.test', PASSWORD);
    const nav = await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link').allTextContents();
    expect(nav).toEqual(['Übersicht', 'Kunden', 'Websites & Apps', 'Kampagnen', 'Statistik']);
    // No "new" buttons for a read-only role.
    await page.getByTestId('nav-customers').click();
    await expectHeading(page, 'Kunden');
    expect(await page.getByRole('button', { name: 'Neuer Kunde' }).count()).toBe(0);
    // No contact data for an analyst: no e-mail column, and the detail shows the business fields only.
    await expect.poll(() => page.getByRole('row', { name: /Sonnenschein AG/ }).count()).toBe(1);
    expect(await page.getByRole('columnheader', { name: 'E-Mail-Adresse' }).count()).toBe(0);
    expect(await page.locator('#main').textContent()).not.toContain('@');
    await page.getByRole('link', { name: 'Sonnenschein AG' }).click();
    await expectHeading(page, 'Sonnenschein AG');
    await expect.poll(() => page.locator('#main').textContent()).toContain('Werbetreibend');
    const detail = (await page.locator('#main').textContent())!;
    for (const hidden of ['ads@sonne.example', 'E-Mail-Adresse', 'Telefon', 'Anschrift']) expect(detail).not.toContain(hidden);
    await screenshot(page, '37-customer-without-contact');
    await page.goto(`${h.app.adminUrl}/users`);
    await expectHeading(page, 'Kein Zugriff');
    await screenshot(page, '36-not-allowed');

    // Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
    await page.goto(`${h.app.adminUrl}/`);
    await expectHeading(page, 'Übersicht');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Zum Inhalt springen');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    // Focus is visible: the next stop after the skip link (the product name, linking home) gets an outline.
    await page.reload();
    await expectHeading(page, 'Übersicht');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({ text: document.activeElement?.textContent, outline: getComputedStyle(document.activeElement!).outlineStyle }));
    expect(focused).toEqual({ text: 'Creative Engine', outline: 'solid' });
    expectCleanPage(watch);
  }, 60_000);

  it("says in the user's language, with the server's numbers, how long a locked sign-in must wait", async () => {
    await createStaff(h.app.adminUrl, cookie, { email: 'lena@example.test', name: 'Lena Locked', password: PASSWORD, roles: ['analyst'] });
    // Five free failures, then each failure after its lock doubles the lock: 1 s, 2 s, 4 s, then 8 s for the console.
    const fail = () => fetch(`${h.app.adminUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-requested-with': 'creative-engine' }, body: JSON.stringify({ email: 'lena@example.test', password: 'wrong password!!' }) });
    for (let i = 0; i < 5; i++) expect((await fail()).status).toBe(401);
    for (const lockMs of [1000, 2000, 4000]) {
      await new Promise((resolve) => setTimeout(resolve, lockMs + 100));
      expect((await fail()).status).toBe(401);
    }
    const { page, watch } = await h.newPage();
    watch.expectHttpError({ path: '/api/me', status: 401 });
    watch.expectHttpError({ path: '/api/session', status: 429 });
    await page.goto(`${h.app.adminUrl}/sign-in`);
    await page.getByLabel('E-Mail-Adresse').fill('lena@example.test');
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^Zu viele Versuche\. Bitte [1-8] Sekunden? warten und erneut versuchen\.$/);
    expectCleanPage(watch);
  }, 60_000);
});
