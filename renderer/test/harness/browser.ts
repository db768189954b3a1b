import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../../..');
export const SCREENSHOT_DIR = path.join(root, 'test-artifacts', 'screenshots');

/** Debian's Chromium, headless, with everything that would phone home switched off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** An expected failed request the browser logs as a console error (e.g. 401 from GET /api/me when signed out). */
export interface ExpectedHttpError {
  path: string;
  status: number;
}

/** What a watched page did: every console message and request, and the ones that break the rules. */
export interface PageWatch {
  messages: string[];
  requests: string[];
  consoleErrors: string[];
  foreignRequests: string[];
  /** Allows one more expected HTTP error message for this path and status. */
  expectHttpError(e: ExpectedHttpError): void;
}

const HTTP_ERROR = /Failed to load resource: the server responded with a status of (\d{3})/;

/**
 * Records every console message and request of `page`. Console errors (including CSP violations
 * and uncaught exceptions) and requests to any origin outside `allowedOrigins` are collected so
 * the test can fail on them.
 */
export function watchPage(page: Page, allowedOrigins: string[]): PageWatch {
  const expected: ExpectedHttpError[] = [];
  const watch: PageWatch = {
    messages: [],
    requests: [],
    consoleErrors: [],
    foreignRequests: [],
    expectHttpError: (e) => expected.push(e),
  };
  page.on('console', (msg: ConsoleMessage) => {
    const where = msg.location().url;
    const line = `[${msg.type()}] ${msg.text()} ${where ? `(${where})` : ''}`;
    watch.messages.push(line);
    if (msg.type() !== 'error') return;
    const status = HTTP_ERROR.exec(msg.text())?.[1];
    if (status && where) {
      const p = new URL(where).pathname;
      const i = expected.findIndex((e) => e.status === Number(status) && p === e.path);
      if (i >= 0) {
        expected.splice(i, 1);
        return;
      }
    }
    watch.consoleErrors.push(line);
  });
  // CSP violations become console errors too, even when the page catches the failure (e.g. an eval probe).
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('pageerror', (err) => {
    watch.messages.push(`[pageerror] ${err.message}`);
    watch.consoleErrors.push(`[pageerror] ${err.message}`);
  });
  page.on('request', (req) => {
    const url = req.url();
    watch.requests.push(`${req.method()} ${url}`);
    if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank' || url.startsWith('about:srcdoc')) return;
    if (!allowedOrigins.includes(new URL(url).origin)) watch.foreignRequests.push(url);
  });
  return watch;
}

/**
 * Saves a full-page screenshot as test-artifacts/screenshots/<name>.png, after checking the view's
 * layout where a test cannot see it otherwise: no visible checkbox or radio squeezed by its row.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const squeezed = await page.locator('input[type=checkbox], input[type=radio]').evaluateAll((inputs) =>
    inputs.filter((i) => { const r = i.getBoundingClientRect(); return r.width > 0 && r.width < 14; }).map((i) => i.outerHTML.slice(0, 120)),
  );
  if (squeezed.length > 0) throw new Error(`${name}: checkboxes or radios squeezed below their size: ${squeezed.join(' ')}`);
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
