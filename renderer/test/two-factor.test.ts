import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode, totpStepAt } from '../../server/auth/totp';
import { waitForFreshTotpCode } from '../../server/test/totp-fixture';
import { screenshot } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { createFirstAdmin, expectHeading } from './harness/staff';

const PASSWORD = 'correct horse battery';
let h: ConsoleHarness;
let adminCookie: string;

beforeAll(async () => {
  h = await startConsoleHarness();
  adminCookie = await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
  // A management account straight through the API: no TOTP yet, so its first sign-in is enrolment-due.
  const res = await fetch(`${h.app.adminUrl}/api/users`, {
    method: 'POST',
    headers: { cookie: adminCookie, 'content-type': 'application/json', 'x-requested-with': 'creative-engine' },
    body: JSON.stringify({ email: 'mia@example.test', name: 'Mia Management', password: PASSWORD, roles: ['management'] }),
  });
  if (res.status !== 201) throw new Error(`user create failed: ${res.status}`);
}, 120_000);
afterAll(async () => h?.close());

/** A six-digit code no step near now has (so the server must refuse it). */
function wrongCode(secret: string): string {
  const now = totpStepAt(Date.now());
  const near = new Set([-2, -1, 0, 1, 2].map((d) => totpCode(secret, now + d)));
  return ['000000', '111111', '222222'].find((c) => !near.has(c))!;
}

describe('two-factor sign-in in the console', () => {
  it('routes an enrolment-due approver to set it up, shows the recovery codes once, then asks for the code at sign-in', async () => {
    const { page, watch } = await h.newPage();
    watch.expectHttpError({ path: '/api/me', status: 401 });
    await page.goto(`${h.app.adminUrl}/sign-in`);
    await page.getByLabel('E-Mail-Adresse').fill('mia@example.test');
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();

    // Management must use two factors: only the account security page, with the reason.
    await expectHeading(page, 'Kontosicherheit');
    expect(await page.getByTestId('totp-due').textContent()).toContain('Für Ihre Rolle ist die Zwei-Faktor-Anmeldung vorgeschrieben');
    await page.goto(`${h.app.adminUrl}/audit`);
    await expectHeading(page, 'Kontosicherheit');

    await page.getByRole('button', { name: 'Zwei-Faktor-Anmeldung einrichten' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.getByTestId('totp-qr').locator('path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    await screenshot(page, '40-account-security-enrol');
    const first = await waitForFreshTotpCode(secret, null);
    await page.getByLabel('Code aus der App').fill(first.code);
    await page.getByRole('button', { name: 'Bestätigen und einschalten' }).click();
    await expect.poll(() => page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    const codes = await page.getByTestId('recovery-codes').locator('code').allTextContents();
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(await page.getByTestId('totp-state').textContent()).toBe('eingeschaltet');
    await page.getByRole('button', { name: 'Ich habe die Codes gespeichert' }).click();
    await expectHeading(page, 'Übersicht');

    // Sign out, sign in again: the code step, a wrong code, then the right one.
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await expectHeading(page, 'Anmelden');
    watch.expectHttpError({ path: '/api/session', status: 401 }); // totp_required
    watch.expectHttpError({ path: '/api/session', status: 401 }); // totp_invalid
    await page.getByLabel('E-Mail-Adresse').fill('mia@example.test');
    await page.getByLabel('Passwort').fill(PASSWORD);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    const step = page.getByTestId('sign-in-code');
    await expect.poll(() => step.count()).toBe(1);
    expect(await page.textContent('body')).toContain('Wiederherstellungscodes');
    await page.getByLabel('Bestätigungscode').fill(wrongCode(secret));
    await page.getByRole('button', { name: 'Bestätigen', exact: true }).click();
    await expect.poll(() => page.getByTestId('sign-in-code-wrong').textContent()).toContain('Der Code ist falsch oder wurde schon verwendet');
    await screenshot(page, '41-sign-in-code-wrong');
    const next = await waitForFreshTotpCode(secret, first.step);
    await page.getByLabel('Bestätigungscode').fill(next.code);
    await page.getByRole('button', { name: 'Bestätigen', exact: true }).click();
    await expectHeading(page, 'Übersicht');
    await page.getByTestId('nav-account').click();
    await expectHeading(page, 'Kontosicherheit');
    expect(await page.textContent('main')).toContain('Noch 10 Wiederherstellungscodes übrig.');
    expectCleanPage(watch);
  });
});
