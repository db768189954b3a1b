import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { staffApi, type StaffApi } from './harness/portal-seed';
import { createFirstAdmin, expectHeading } from './harness/staff';

const PASSWORD = 'correct horse battery';
const CUSTOMER_PASSWORD = 'Sonnenschein-Portal-7';
const NEW_PASSWORD = 'Sonnenschein-Portal-8';
const EMAIL = 'jonas@sonnenschein.example';
let h: ConsoleHarness;
let staff: StaffApi;
let customerId: string;

beforeAll(async () => {
  h = await startConsoleHarness();
  staff = staffApi(h.app.adminUrl, await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD));
  const customer = await staff.call<{ id: string }>('POST', '/api/customers', { name: 'Sonnenschein Reisen', email: 'info@sonnenschein.example', kind: 'advertiser' });
  customerId = customer.body.id;
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const failSignIn = () =>
  fetch(`${h.app.portalUrl}/portal-api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'creative-engine' },
    body: JSON.stringify({ email: EMAIL, password: 'not the password' }),
  });

describe('portal sign-in and invitations: the refusals, in words the customer understands', () => {
  it('refuses a forged link, takes a password by keyboard in English, changes it, then explains a disabled access and a throttled sign-in', async () => {
    const { page, watch } = await h.newPage([h.portalOrigin]);
    watch.expectHttpError({ path: '/portal-api/me', status: 401 });
    watch.expectHttpError({ path: '/portal-api/invitations/check', status: 404 });
    await page.goto(`${h.app.portalUrl}/#/invite/aGVsbG8td29ybGQtdGhpcy1pcy1ub3QtYS10b2tlbg`);
    await expect.poll(() => page.getByTestId('invitation-invalid').textContent()).toContain('Dieser Einladungslink ist nicht (mehr) gültig');
    await screenshot(page, '50-portal-invitation-invalid');

    // A real invitation, in English, filled in with the keyboard only.
    const invited = await staff.call<{ invitationUrl: string; emailed: boolean }>('POST', `/api/customers/${customerId}/portal-invitations`, { email: EMAIL });
    expect(invited.status).toBe(201);
    expect(invited.body.emailed).toBe(false);
    await page.goto(invited.body.invitationUrl);
    await expect.poll(() => page.getByTestId('invitation-email').textContent()).toBe(EMAIL);
    await page.getByTestId('locale-switch').selectOption('en');
    await expectHeading(page, 'Accept invitation');
    expect(await page.getByTestId('invitation-info').textContent()).toContain('customer portal of Sonnenschein Reisen');
    await page.getByLabel('New password').focus();
    await page.keyboard.type(CUSTOMER_PASSWORD);
    await page.keyboard.press('Tab');
    await page.keyboard.type(CUSTOMER_PASSWORD);
    await page.keyboard.press('Enter');
    await expectHeading(page, 'Overview');
    expect(await page.getByTestId('portal-customer').textContent()).toContain('Sonnenschein Reisen');

    // Changing the password: a wrong current password is said as such (it does not sign out).
    await page.getByTestId('nav-security').click();
    await expectHeading(page, 'Account security');
    const form = page.getByTestId('password-form');
    await form.getByLabel('Current password').fill('not the password');
    await form.getByLabel('New password').fill(NEW_PASSWORD);
    await form.getByLabel('Repeat password').fill(NEW_PASSWORD);
    watch.expectHttpError({ path: '/portal-api/me/password', status: 401 });
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByTestId('wrong-password').textContent()).toBe('The password you entered is wrong.');
    await form.getByLabel('Current password').fill(CUSTOMER_PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Password changed.' }).count()).toBe(1);
    await page.getByTestId('sign-out').click();
    await expectHeading(page, 'Sign in');

    // Disabled by staff: sign-in says so (not "wrong password").
    const list = await staff.call<{ users: Array<{ id: string }> }>('GET', `/api/customers/${customerId}/portal-users`);
    const userId = list.body.users[0]!.id;
    expect((await staff.call('PATCH', `/api/portal-users/${userId}`, { disabled: true })).status).toBe(200);
    watch.expectHttpError({ path: '/portal-api/session', status: 403 });
    await page.getByLabel('E-mail address').fill(EMAIL);
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('This access is disabled. Please contact your agency.');
    expect((await staff.call('PATCH', `/api/portal-users/${userId}`, { disabled: false })).status).toBe(200);

    // Throttled: a few free failures (the disabled attempt was one), then a lock that each further
    // failure doubles; after the first lock, one more failure locks for longer than the click takes.
    let res = await failSignIn();
    for (let i = 0; i < 10 && res.status === 401; i++) res = await failSignIn();
    expect(res.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, Number(res.headers.get('retry-after')) * 1000 + 100));
    expect((await failSignIn()).status).toBe(401);
    watch.expectHttpError({ path: '/portal-api/session', status: 429 });
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^Too many attempts\. Wait [1-4] seconds?, then try again\.$/);
    await screenshot(page, '51-portal-sign-in-throttled');

    // The public pages are one link away, in the chosen language.
    await page.getByRole('link', { name: 'Privacy' }).click();
    await page.waitForURL(`${h.app.portalUrl}/privacy`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expectCleanPage(watch);
  }, 90_000);
});
