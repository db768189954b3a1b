import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type App } from '../app';
import { resolveConfig, type ServerConfigInput } from '../config';

/** A real server on ephemeral loopback ports over a fresh temporary data directory. */
export interface TestApp extends App {
  dataDir: string;
  /** Stops the server and removes its data directory. */
  dispose(): Promise<void>;
}

/** Starts the real app for a test; pass `now` to control the clock. */
export async function startTestApp(overrides: ServerConfigInput = {}, options: Parameters<typeof startApp>[1] = {}): Promise<TestApp> {
  const dataDir = overrides.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ce-test-'));
  // The data key lives in the OS keychain; outside the keychain test session (scripts/test.sh) there
  // is none, so the key goes to a file beside (never inside) the data directory, stable across restarts.
  const keyFile = process.env.CE_KEYRING_READY || overrides.privacy?.dataKeyFile ? undefined : `${path.resolve(dataDir)}.data-key`;
  const config = resolveConfig({
    delivery: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0 },
    portal: { host: '127.0.0.1', port: 0 },
    silent: true,
    ...overrides,
    privacy: keyFile ? { ...overrides.privacy, dataKeyFile: keyFile } : overrides.privacy,
    dataDir,
  });
  const app = await startApp(config, options);
  return {
    ...app,
    dataDir,
    async dispose() {
      await app.stop();
      if (!overrides.dataDir) {
        fs.rmSync(dataDir, { recursive: true, force: true });
        if (keyFile) fs.rmSync(keyFile, { force: true });
      }
    },
  };
}
