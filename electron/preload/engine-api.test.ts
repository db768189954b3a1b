import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../common/ipc-channels';
import { createApproverKeychain } from '../../node/approver-keychain';
import { registerIpcHandlers } from '../main/ipc-handlers';
import { createMainLogger } from '../main/logger';
import { createInProcessIpc } from '../test/in-process-ipc';
import { createEngineApi } from './engine-api';

const ADMIN = 'http://127.0.0.1:43123';

// window.engine as the preload builds it, over the real handlers (as if ipcRenderer.invoke from the console).
function engineFor(frameUrl: string) {
  const ipc = createInProcessIpc();
  registerIpcHandlers(ipc, {
    adminOrigin: () => ADMIN,
    keychain: createApproverKeychain({ service: 'creative-engine-test-unused' }),
    keychainServerUrl: 'http://embedded.creative-engine.localhost',
    version: { app: '0.1.0', electron: '45.5.0', platform: 'linux' },
    openExternal: async () => true,
    log: createMainLogger({ quiet: true }),
  });
  const sent: string[] = [];
  const api = createEngineApi((channel, ...args) => {
    sent.push(channel);
    return ipc.invoke({ url: frameUrl }, channel, ...args);
  });
  return { api, sent };
}

describe('createEngineApi (window.engine)', () => {
  it('exposes only the typed, frozen API', () => {
    const { api } = engineFor(`${ADMIN}/`);
    expect(Object.keys(api).sort()).toEqual(['app', 'desktop', 'keychain']);
    expect(Object.keys(api.keychain).sort()).toEqual(['enroll', 'rewrapShare', 'status']);
    expect(Object.keys(api.app).sort()).toEqual(['openExternal', 'version']);
    expect(api.desktop).toBe(true);
    expect(Object.isFrozen(api) && Object.isFrozen(api.keychain) && Object.isFrozen(api.app)).toBe(true);
    expect(() => Object.assign(api.keychain, { invoke: () => 1 })).toThrow();
  });

  it('resolves with the value of a successful call', async () => {
    const { api, sent } = engineFor(`${ADMIN}/`);
    expect(await api.app.version()).toEqual({ app: '0.1.0', electron: '45.5.0', platform: 'linux' });
    expect(await api.app.openExternal('https://example.com/')).toBe(true);
    expect(await api.app.openExternal('http://example.com/')).toBe(false);
    expect(sent.every((c) => (IPC_CHANNELS as readonly string[]).includes(c))).toBe(true);
  });

  it("rejects with the main process's safe message and code", async () => {
    const { api } = engineFor(`${ADMIN}/`);
    const err = await api.keychain.enroll('nobody').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('email: Enter a valid e-mail address.');
    expect((err as Error).name).toBe('bad_request');
    // Only the declared fields are sent, whatever else the page passes along.
    const extra = { email: 'dpo@example.com', encryptedShare: 'AAAA', caseRecipient: 'age1x', evil: true } as never;
    await expect(api.keychain.rewrapShare(extra)).rejects.toThrow(/^caseRecipient: /);
  });

  it('is refused from anywhere but the console', async () => {
    const { api } = engineFor('https://evil.example/');
    await expect(api.app.version()).rejects.toThrow('Only the console window may use the desktop functions.');
  });

  it('turns a missing or malformed reply into an error', async () => {
    await expect(createEngineApi(async () => undefined).app.version()).rejects.toThrow('The desktop app gave no answer.');
    await expect(createEngineApi(async () => ({ ok: false, error: { message: 7 } })).app.version()).rejects.toThrow('The desktop app gave no answer.');
  });
});
