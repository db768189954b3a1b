import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { screenshot } from './harness/browser';

let h: ConsoleHarness;
beforeAll(async () => {
  h = await startConsoleHarness();
}, 120_000);
afterAll(async () => h?.close());

describe('first run and sign-in', () => {
  it('creates the first admin, signs out, refuses a wrong password and signs in again', async () => {
    const { page, watch } = await h.newPage();
    // Signed out, the console asks the server who is signed in: that 401 is the expected answer.
    watch.expectHttpError({ path: '/api/me', status: 401 });
    const res = await page.goto(h.app.adminUrl);
    // The console runs under the strict CSP (no inline scripts, no eval); every violation fails the test.
    const csp = res!.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Willkommen bei Creative Engine');
    await screenshot(page, '01-first-run');

    await page.getByRole('button', { name: 'Konto anlegen und anmelden' }).click();
    await expect.poll(() => page.getByText('Bitte ausfüllen.').count()).toBeGreaterThan(0);

    await page.getByLabel('Name').fill('Ada Admin');
    await page.getByLabel('E-Mail-Adresse').fill('ada@example.test');
    await page.getByLabel('Passwort', { exact: true }).fill('correct horse battery');
    await page.getByLabel('Passwort wiederholen').fill('correct horse battery');
    await page.getByRole('button', { name: 'Konto anlegen und anmelden' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Übersicht');
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('Ada Admin');
    await screenshot(page, '02-dashboard');

    await page.getByRole('button', { name: 'Abmelden' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Anmelden');
    await screenshot(page, '03-sign-in');

    watch.expectHttpError({ path: '/api/session', status: 401 });
    await page.getByLabel('E-Mail-Adresse').fill('ada@example.test');
    await page.getByLabel('Passwort').fill('wrong password!!');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('E-Mail-Adresse oder Passwort ist falsch.');

    await page.getByLabel('Passwort').fill('correct horse battery');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Übersicht');
    expectCleanPage(watch);
  }, 90_000);
});
