// The first-start setup page in real Chromium, with its real CSP, talking to the real setup
// handlers (a stand-in for the preload's bridge) that probe a real TLS server.
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_PATH, missing } from '../../node/test/requirements';
import { fingerprintOfPem } from '../main/certificate-pinning';
import { loadConnectionSettings, saveConnectionSettings, type ConnectionSettings } from '../main/connection-settings';
import { probeServer } from '../main/server-probe';
import { createSetupHandlers, SETUP_ORIGIN, SETUP_URL } from '../main/setup-ipc';
import { setupAsset } from '../main/setup-protocol';
import { makeCert } from '../../node/test/make-cert';

const SETUP_DIST = path.resolve(__dirname, '../../dist/electron/setup');
// Plain Chromium has no ce-setup:// scheme; the page is served under this https stand-in instead.
const PAGE_ORIGIN = 'https://setup.test';
const INFO = { installationId: `ins_${'c'.repeat(32)}`, name: 'Agency server', version: '0.1.0' };

let dir: string;
let cert: string;
let server: https.Server;
let serverOrigin: string;
let browser: Browser;

beforeAll(async () => {
  if (!CHROMIUM.available) return;
  if (!fs.existsSync(path.join(SETUP_DIST, 'setup.js'))) throw new Error(`${SETUP_DIST} is missing: run \`node scripts/build.mjs electron\` first.`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-setup-page-'));
  const pair = makeCert(['localhost']);
  cert = pair.certPem;
  server = https.createServer({ cert, key: pair.keyPem }, (_req, res) => res.end(JSON.stringify(INFO)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverOrigin = `https://localhost:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'] });
});
afterAll(async () => {
  await browser?.close();
  if (server) await new Promise((resolve) => server.close(resolve));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function openSetup(userData: string): Promise<{ page: Page; chosen: ConnectionSettings[]; errors: string[]; requests: string[] }> {
  const chosen: ConnectionSettings[] = [];
  const handlers = createSetupHandlers({
    current: () => {
      const loaded = loadConnectionSettings(userData);
      return loaded.state === 'ok' ? loaded.settings : null;
    },
    probe: (url) => probeServer(url),
    save: (s) => saveConnectionSettings(userData, s),
    chosen: (s) => void chosen.push(s),
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    const asset = url.startsWith(`${PAGE_ORIGIN}/`) ? setupAsset(SETUP_ORIGIN + url.slice(PAGE_ORIGIN.length)) : null;
    if (!asset) return route.abort();
    await route.fulfill({ status: 200, headers: asset.headers, body: fs.readFileSync(path.join(SETUP_DIST, asset.file)) });
  });
  // What electron/preload/setup-preload.ts exposes, over the real handlers.
  await page.exposeFunction('__setupInvoke', (channel: keyof typeof handlers, ...args: unknown[]) => handlers[channel](SETUP_URL, ...args));
  // A string: this test compiles without the DOM library.
  await page.addInitScript(`{
    const invoke = window.__setupInvoke;
    window.ceSetup = {
      current: () => invoke('Setup:current'),
      probe: (url) => invoke('Setup:probe', url),
      chooseEmbedded: (on) => invoke('Setup:chooseEmbedded', on),
      connect: (o, f, p) => invoke('Setup:connect', o, f, p),
    };
  }`);
  await page.goto(`${PAGE_ORIGIN}/index.html`);
  return { page, chosen, errors, requests };
}

describe.skipIf(missing(CHROMIUM))('setup page in Chromium', () => {
  it('connects to the agency server after showing the fingerprint to compare, and pins it', async () => {
    const userData = path.join(dir, 'u1');
    const { page, chosen, errors, requests } = await openSetup(userData);
    await page.check('input[name="mode"][value="connect"]');
    await page.fill('#server-url', `${serverOrigin}/`);
    await page.click('#continue');
    await expect.poll(() => page.isVisible('#confirm')).toBe(true);
    expect(await page.textContent('#c-fingerprint')).toBe(fingerprintOfPem(cert));
    expect(await page.textContent('#c-name')).toBe('Agency server');
    expect(await page.textContent('#c-trust')).toMatch(/not signed by an authority/);
    expect(await page.isVisible('#pin-row')).toBe(false);
    await page.click('#connect');
    await expect.poll(() => chosen.length).toBe(1);
    expect(chosen[0]).toEqual({ mode: 'connect', adminOrigin: serverOrigin, pinnedFingerprint: fingerprintOfPem(cert) });
    expect(loadConnectionSettings(userData)).toEqual({ state: 'ok', settings: chosen[0] });
    // Only its own three files: the probe runs in the main process, not the page.
    expect(new Set(requests)).toEqual(new Set([`${PAGE_ORIGIN}/index.html`, `${PAGE_ORIGIN}/setup.js`, `${PAGE_ORIGIN}/setup.css`]));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('chooses the embedded server with "serve ads to the network", and shows a refused address plainly', async () => {
    const { page, chosen, errors } = await openSetup(path.join(dir, 'u2'));
    await page.check('input[name="mode"][value="connect"]');
    await page.fill('#server-url', 'http://ads.example.eu');
    await page.click('#continue');
    await expect.poll(() => page.textContent('#message')).toMatch(/https:\/\//);
    expect(chosen).toEqual([]);
    await page.check('input[name="mode"][value="embedded"]');
    expect(await page.isDisabled('#server-url')).toBe(true);
    await page.check('#serve-network');
    await page.click('#continue');
    await expect.poll(() => chosen.length).toBe(1);
    expect(chosen[0]).toEqual({ mode: 'embedded', serveAdsToNetwork: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the current choice when reopened from the menu', async () => {
    const userData = path.join(dir, 'u3');
    saveConnectionSettings(userData, { mode: 'connect', adminOrigin: 'https://ads.example.eu', pinnedFingerprint: null });
    const { page } = await openSetup(userData);
    await expect.poll(() => page.inputValue('#server-url')).toBe('https://ads.example.eu');
    expect(await page.isChecked('input[name="mode"][value="connect"]')).toBe(true);
    await page.close();
  });

  it('the page CSP blocks inline script', async () => {
    const { page } = await openSetup(path.join(dir, 'u4'));
    const ran = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.head.append(s);
      return window.__inline ?? 0;
    })()`);
    expect(ran).toBe(0);
    await page.close();
  });
});
