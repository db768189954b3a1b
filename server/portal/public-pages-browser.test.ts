import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_PATH, missing } from '../../node/test/requirements';
import { signInAs } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';

let app: TestApp;
let browser: Browser;
const screenshots = path.join(os.tmpdir(), 'ce-public-pages-screenshots');

/** A page that fails the test on any console message, page error or request off the portal's origin. */
async function strictPage(): Promise<{ page: Page; problems: string[]; posts: Array<Record<string, string>> }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const posts: Array<Record<string, string>> = [];
  page.on('console', (msg) => problems.push(`console ${msg.type()}: ${msg.text()}`));
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    if (!req.url().startsWith(`${app.portalUrl}/`)) problems.push(`request off the portal: ${req.url()}`);
    if (req.method() === 'POST') void req.allHeaders().then((h) => posts.push(h));
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && res.request().method() === 'GET') problems.push(`GET ${res.url()} answered ${res.status()}`);
  });
  return { page, problems, posts };
}

describe.skipIf(missing(CHROMIUM))('public pages in Chromium', () => {
  beforeAll(async () => {
    app = await startTestApp();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'] });
    fs.mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it('shows the privacy template styled, with no CSP violation, and switches language', async () => {
    const { page, problems } = await strictPage();
    await page.goto(`${app.portalUrl}/datenschutz`);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    await expect(page.locator('h1').textContent()).resolves.toBe('Datenschutzerklärung (Vorlage)');
    // The same-origin stylesheet applied (the nav is a flex row only through /pages.css).
    expect(await page.evaluate("getComputedStyle(document.querySelector('nav')).display")).toBe('flex');
    await page.screenshot({ path: path.join(screenshots, 'datenschutz.png'), fullPage: true });
    await page.click('a.lang');
    await page.waitForURL(`${app.portalUrl}/privacy`);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sends the contact form: field errors in German with values kept, then success stored for staff', async () => {
    const { page, problems, posts } = await strictPage();
    await page.goto(`${app.portalUrl}/kontakt`);
    await page.selectOption('select[name=kind]', 'access');
    await page.fill('input[name=name]', 'Erika Mustermann');
    // Passes the browser's own check for type=email, not the server's (no dot in the domain).
    await page.fill('input[name=email]', 'erika@example');
    await page.fill('textarea[name=message]', 'Welche Daten speichern Sie über mich?');
    await Promise.all([page.waitForURL(`${app.portalUrl}/kontakt`), page.click('button[type=submit]')]);
    await expect(page.locator('.field-error').textContent()).resolves.toBe('Bitte geben Sie eine gültige E-Mail-Adresse an.');
    expect(await page.inputValue('input[name=name]')).toBe('Erika Mustermann');
    expect(await page.inputValue('select[name=kind]')).toBe('access');
    await page.screenshot({ path: path.join(screenshots, 'kontakt-fehler.png'), fullPage: true });
    // Chromium reports every 4xx document as a console error; this one is the deliberate 422.
    expect(problems.splice(0)).toEqual(['console error: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);

    await page.fill('input[name=email]', 'erika@example.org');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Vielen Dank');
    const id = await page.locator('main code').textContent();
    expect(id).toMatch(/^req_[a-z2-7]{16}$/);
    await page.screenshot({ path: path.join(screenshots, 'kontakt-danke.png'), fullPage: true });
    // What a real browser sends on a same-origin form post (what the cross-site check relies on).
    // (Origin is `null` under the pages' Referrer-Policy: no-referrer.)
    expect(posts.map((h) => [h['sec-fetch-site'], h.origin])).toEqual([['same-origin', 'null'], ['same-origin', 'null']]);

    const admin = await signInAs(app, 'admin');
    const stored = await admin.get(`/api/requests/${id}`);
    expect(stored.body).toMatchObject({ kind: 'access', name: 'Erika Mustermann', email: 'erika@example.org' });
    expect(problems).toEqual([]);
    await page.close();
  });
});
