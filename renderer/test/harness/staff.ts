import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { TOTP_REQUIRED_ROLES, type Role } from '../../../common/roles';
import { enrolTotpOverHttp, nextTotpCodeFor } from '../../../server/test/totp-fixture';
import type { PageWatch } from './browser';

const HEADERS = { 'content-type': 'application/json', 'x-requested-with': 'creative-engine' };

/** Creates the first admin through the API (first run is its own browser test) and returns its cookie. */
export async function createFirstAdmin(adminUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${adminUrl}/api/setup`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ email, name: 'Ada Admin', password }) });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/**
 * A JSON caller of the admin API as the staff session behind `cookie` (a getter: tests sign in in
 * beforeAll); throws on any status of 300 or more, naming the call and the answer.
 */
export function staffApi(adminUrl: () => string, cookie: () => string) {
  return async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(adminUrl() + path, { method, headers: { ...HEADERS, cookie: cookie() }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

/**
 * Creates a staff account as the admin behind `cookie`. Accounts whose role requires two-factor
 * sign-in (management, DPO) get TOTP set up over the API, on the server's clock `now`, so `signIn`
 * can answer the console's code step.
 */
export async function createStaff(
  adminUrl: string,
  cookie: string,
  user: { email: string; name: string; password: string; roles: Role[] },
  now: () => Date = () => new Date(),
): Promise<string> {
  const res = await fetch(`${adminUrl}/api/users`, { method: 'POST', headers: { ...HEADERS, cookie }, body: JSON.stringify(user) });
  if (res.status !== 201) throw new Error(`user create failed: ${res.status} ${await res.text()}`);
  const id = ((await res.json()) as { id: string }).id;
  if (user.roles.some((r) => TOTP_REQUIRED_ROLES.includes(r))) await enrolTotp(adminUrl, user.email, user.password, now);
  return id;
}

/** Signs in over the API and sets up TOTP for the account (registered for `signIn`); returns the secret. */
export async function enrolTotp(adminUrl: string, email: string, password: string, now: () => Date = () => new Date()): Promise<string> {
  const res = await fetch(`${adminUrl}/api/session`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`sign-in before enrolment failed: ${res.status} ${await res.text()}`);
  const session = res.headers.get('set-cookie')!.split(';')[0]!;
  const post = async (path: string, body?: unknown) => {
    const answer = await fetch(`${adminUrl}${path}`, { method: 'POST', headers: { ...HEADERS, cookie: session }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: answer.status, body: (await answer.json()) as unknown };
  };
  const { secret } = await enrolTotpOverHttp(post, email, now);
  await fetch(`${adminUrl}/api/session`, { method: 'DELETE', headers: { ...HEADERS, cookie: session } });
  return secret;
}

/** Signs in through the sign-in form (with the code step for accounts the harness enrolled) and waits for the dashboard. */
export async function signIn(page: Page, watch: PageWatch, adminUrl: string, email: string, password: string): Promise<void> {
  // Signed out, the console's GET /api/me answers 401: expected, not an error of the page.
  watch.expectHttpError({ path: '/api/me', status: 401 });
  await page.goto(`${adminUrl}/sign-in`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(password);
  const code = await nextTotpCodeFor(email);
  if (code !== undefined) watch.expectHttpError({ path: '/api/session', status: 401 }); // totp_required: the form's code step
  await page.getByRole('button', { name: 'Anmelden' }).click();
  if (code !== undefined) {
    await page.getByLabel('Bestätigungscode').fill(code);
    await page.getByRole('button', { name: 'Bestätigen' }).click();
  }
  await expectHeading(page, 'Übersicht');
}

/** Waits until the page's h1 reads `text`. */
export async function expectHeading(page: Page, text: string): Promise<void> {
  await expect.poll(() => page.locator('h1').first().textContent(), { timeout: 10_000 }).toBe(text);
}
