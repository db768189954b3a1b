import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import type { Role } from '../../../common/roles';
import type { PageWatch } from './browser';

const HEADERS = { 'content-type': 'application/json', 'x-requested-with': 'creative-engine' };

/** Creates the first admin through the API (first run is its own browser test) and returns its cookie. */
export async function createFirstAdmin(adminUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${adminUrl}/api/setup`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ email, name: 'Ada Admin', password }) });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** Creates a staff account as the admin behind `cookie`. */
export async function createStaff(adminUrl: string, cookie: string, user: { email: string; name: string; password: string; roles: Role[] }): Promise<string> {
  const res = await fetch(`${adminUrl}/api/users`, { method: 'POST', headers: { ...HEADERS, cookie }, body: JSON.stringify(user) });
  if (res.status !== 201) throw new Error(`user create failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Signs in through the sign-in form and waits for the dashboard. */
export async function signIn(page: Page, watch: PageWatch, adminUrl: string, email: string, password: string): Promise<void> {
  // Signed out, the console's GET /api/me answers 401: expected, not an error of the page.
  watch.expectHttpError({ path: '/api/me', status: 401 });
  await page.goto(`${adminUrl}/sign-in`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
  await expectHeading(page, 'Übersicht');
}

/** Waits until the page's h1 reads `text`. */
export async function expectHeading(page: Page, text: string): Promise<void> {
  await expect.poll(() => page.locator('h1').first().textContent(), { timeout: 10_000 }).toBe(text);
}
