import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { createFirstAdmin, expectHeading, signIn, staffApi } from './harness/staff';
import { de } from '../src/i18n/de';
import { en } from '../src/i18n/en';

// Words in the console: a bad domain gets its own German sentence at the field (not "the format is
// wrong"), and a refusal of the server is shown in the console's words for its code.
const PASSWORD = 'correct horse battery';
let h: ConsoleHarness;
let cookie: string;

const api = staffApi(() => h.app.adminUrl, () => cookie);

beforeAll(async () => {
  h = await startConsoleHarness();
  cookie = await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
  await api('POST', '/api/customers', { name: 'Polarlicht AG', email: 'x@example.test', kind: 'both' });
}, 120_000);
afterAll(async () => h?.close());

describe('error words in the console', () => {
  it('names what is wrong with a domain in German and in English, and a server refusal by its code', async () => {
    const { page, watch } = await h.newPage();
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await page.goto(`${h.app.adminUrl}/sites`);
    await expectHeading(page, 'Websites & Apps');
    await page.getByRole('button', { name: de.sites.new }).click();
    const form = page.getByTestId('site-form');
    await form.getByTestId('customer-select').selectOption({ label: 'Polarlicht AG' });
    await form.getByLabel(de.fields.name).fill('Polarlicht Shop');
    await form.getByLabel(de.fields.domain).fill('https://shop.example/angebot');
    await form.getByRole('button', { name: de.common.create }).click();
    await expect.poll(() => form.textContent()).toContain(de.validation.checks.domain);
    expect(await form.textContent()).not.toContain('Das Format stimmt nicht');
    expect(await form.getByLabel(de.fields.domain).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'field-error-domain-de');

    await page.getByTestId('locale-switch').selectOption('en');
    await expectHeading(page, 'Sites & apps');
    await form.getByRole('button', { name: en.common.create }).click();
    await expect.poll(() => form.textContent()).toContain(en.validation.checks.domain);
    await screenshot(page, 'field-error-domain-en');
    await page.getByTestId('locale-switch').selectOption('de');

    // The server refuses a second account with the same address: its code, in German.
    await page.goto(`${h.app.adminUrl}/users`);
    await expectHeading(page, de.users.title);
    await page.getByRole('button', { name: de.users.new }).click();
    const userForm = page.getByTestId('user-form');
    await userForm.getByLabel(de.fields.name).fill('Ada Zwei');
    await userForm.getByLabel(de.fields.email).fill('ada@example.test');
    await userForm.getByLabel(de.users.initialPassword).fill('another long password');
    await userForm.getByLabel(de.roles.analyst).check();
    watch.expectHttpError({ status: 409, path: '/api/users' });
    await userForm.getByRole('button', { name: de.common.create }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain(de.errors.email_taken);
    await screenshot(page, 'error-email-taken-de');
    expectCleanPage(watch);
  }, 120_000);
});
