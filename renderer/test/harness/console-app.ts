import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ServerConfigInput } from '../../../server/config';
import { startTestApp, type TestApp } from '../../../server/test/test-app';
import { launchChromium, watchPage, type PageWatch } from './browser';
import { CONSOLE_DIR, ensureConsoleBuilt, PORTAL_DIR } from './console-build';

/** A real server serving the built console (and customer portal), a Chromium and helpers to drive them as a user. */
export interface ConsoleHarness {
  app: TestApp;
  browser: Browser;
  adminOrigin: string;
  /** The portal listener's origin (customer portal and public pages). */
  portalOrigin: string;
  /** A fresh browser context (own cookies) with a watched page. */
  newPage(extraOrigins?: string[]): Promise<{ context: BrowserContext; page: Page; watch: PageWatch }>;
  close(): Promise<void>;
}

/** Starts everything a browser test needs; call close() in afterAll. */
export async function startConsoleHarness(options: { now?: () => Date; overrides?: ServerConfigInput } = {}): Promise<ConsoleHarness> {
  await ensureConsoleBuilt();
  const app = await startTestApp({ ...options.overrides, consoleDir: CONSOLE_DIR, portalDir: PORTAL_DIR }, { now: options.now });
  const browser = await launchChromium();
  const adminOrigin = new URL(app.adminUrl).origin;
  const portalOrigin = app.portalUrl ? new URL(app.portalUrl).origin : '';
  const contexts: BrowserContext[] = [];
  return {
    app,
    browser,
    adminOrigin,
    portalOrigin,
    async newPage(extraOrigins = []) {
      const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Europe/Berlin', viewport: { width: 1280, height: 860 } });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const watch = watchPage(page, [adminOrigin, ...extraOrigins]);
      return { context, page, watch };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await app.dispose();
    },
  };
}

/** Fails with everything the page logged when it logged an error or reached a foreign origin. */
export function expectCleanPage(watch: PageWatch): void {
  const problems = [...watch.consoleErrors.map((e) => `console: ${e}`), ...watch.foreignRequests.map((r) => `foreign request: ${r}`)];
  if (problems.length) throw new Error(`${problems.join('\n')}\n--- all console messages:\n${watch.messages.join('\n')}`);
}
