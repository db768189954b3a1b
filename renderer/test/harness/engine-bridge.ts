import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { registerIpcHandlers } from '../../../electron/main/ipc-handlers';
import { createMainLogger } from '../../../electron/main/logger';
import { createAdminCall, installationIdOf } from '../../../electron/main/admin-call';
import { createInProcessIpc } from '../../../electron/test/in-process-ipc';
import { createApproverKeychain, type ApproverKeychain } from '../../../node/approver-keychain';

const root = path.resolve(import.meta.dirname, '../../..');

/** The desktop app's IPC, main-process handlers and real OS keychain, for browser tests. */
export interface EngineBridge {
  keychain: ApproverKeychain;
  /** What the native confirmation was shown, in order. */
  summaries: string[];
  /** The server's installation id (names the keychain entries). */
  installationId(): Promise<string>;
  /** Gives `page` a `window.engine` built by the real preload code over the real main-process handlers. */
  attach(page: Page): Promise<void>;
  /** Removes the test identities from the keychain. */
  dispose(emails: string[]): Promise<void>;
}

let preloadScript: Promise<string> | undefined;

/** The preload's createEngineApi (electron/preload/engine-api.ts) bundled for the page. */
function enginePreload(): Promise<string> {
  preloadScript ??= build({
    entryPoints: [path.join(root, 'electron/preload/engine-api.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__ceEngineApi',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  }).then((r) => r.outputFiles[0]!.text);
  return preloadScript;
}

/**
 * Wires the console to the desktop app's IPC as the preload would: the page's `window.engine` calls
 * travel (with the sending frame's URL, which the handlers check) to the handlers main.ts
 * registers, which use the real keychain module over the OS keychain (D-Bus Secret Service in
 * scripts/test.sh) and call the real server as the page's signed-in session (its cookie), as
 * main.ts does with the console window's session. Identities go to a per-run keychain service;
 * the native confirmation answers yes and keeps the summaries it was shown.
 */
export function createEngineBridge(adminUrl: string): EngineBridge {
  const adminOrigin = new URL(adminUrl).origin;
  const keychain = createApproverKeychain({ service: `creative-engine-console-test-${randomBytes(4).toString('hex')}` });
  const summaries: string[] = [];
  let installationId: Promise<string> | undefined;
  return {
    keychain,
    summaries,
    installationId: () =>
      (installationId ??= fetch(`${adminOrigin}/api/server-info`)
        .then((r) => r.json() as Promise<{ installationId: string }>)
        .then((i) => i.installationId)),
    async attach(page) {
      const ipc = createInProcessIpc();
      const adminCall = createAdminCall(
        async (url, init) => {
          const cookie = (await page.context().cookies(adminOrigin)).map((c) => `${c.name}=${c.value}`).join('; ');
          return fetch(url, { ...init, headers: { ...init.headers, cookie } });
        },
        () => adminOrigin,
      );
      registerIpcHandlers(ipc, {
        adminOrigin: () => adminOrigin,
        keychain,
        adminCall,
        installationId: installationIdOf(adminCall, () => adminOrigin),
        confirmApproval: async (summary) => (summaries.push(summary), true),
        legacyOrigins: () => [],
        version: { app: 'test', electron: '45', platform: process.platform },
        openExternal: async () => false,
        setLocale: () => undefined,
        log: createMainLogger({ quiet: true }),
      });
      await page.exposeBinding('__ceIpc', (source, channel: string, ...args: unknown[]) =>
        ipc.invoke({ url: source.frame.url(), parent: source.frame.parentFrame() }, channel, ...args),
      );
      const script = await enginePreload();
      // contextBridge.exposeInMainWorld gives the page a read-only, frozen `engine`.
      await page.addInitScript(`${script}
Object.defineProperty(window, 'engine', { value: __ceEngineApi.createEngineApi((channel, ...args) => window.__ceIpc(channel, ...args)), enumerable: true });`);
    },
    async dispose(emails) {
      const id = await this.installationId();
      for (const e of emails) await keychain.remove({ installationId: id, email: e }).catch(() => false);
    },
  };
}
