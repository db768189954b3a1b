import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { registerIpcHandlers } from '../../../electron/main/ipc-handlers';
import { createMainLogger } from '../../../electron/main/logger';
import { createInProcessIpc } from '../../../electron/test/in-process-ipc';
import { createApproverKeychain, type ApproverKeychain } from '../../../node/approver-keychain';

const root = path.resolve(import.meta.dirname, '../../..');

/** The desktop app's IPC, main-process handlers and real OS keychain, for browser tests. */
export interface EngineBridge {
  keychain: ApproverKeychain;
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
 * Wires the console to the desktop app's keychain bridge as the preload would: the page's
 * `window.engine` calls travel (with the sending frame's URL, which the handlers check) to the
 * handlers main.ts registers, which use the real keychain module over the OS keychain
 * (D-Bus Secret Service in scripts/test.sh). Identities go to a per-run keychain service.
 */
export function createEngineBridge(adminUrl: string): EngineBridge {
  const adminOrigin = new URL(adminUrl).origin;
  const keychain = createApproverKeychain({ service: `creative-engine-console-test-${randomBytes(4).toString('hex')}` });
  const ipc = createInProcessIpc();
  registerIpcHandlers(ipc, {
    adminOrigin: () => adminOrigin,
    keychain,
    keychainServerUrl: adminUrl,
    version: { app: 'test', electron: '45', platform: process.platform },
    openExternal: async () => false,
    log: createMainLogger({ quiet: true }),
  });
  return {
    keychain,
    async attach(page) {
      await page.exposeBinding('__ceIpc', (source, channel: string, ...args: unknown[]) =>
        ipc.invoke({ url: source.frame.url(), parent: source.frame.parentFrame() }, channel, ...args),
      );
      const script = await enginePreload();
      // contextBridge.exposeInMainWorld gives the page a read-only, frozen `engine`.
      await page.addInitScript(`${script}
Object.defineProperty(window, 'engine', { value: __ceEngineApi.createEngineApi((channel, ...args) => window.__ceIpc(channel, ...args)), enumerable: true });`);
    },
    async dispose(emails) {
      for (const e of emails) await keychain.remove(adminUrl, e).catch(() => false);
    },
  };
}
