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
    adminCall: async () => {
      throw new Error('no server in this test');
    },
    installationId: async () => 'ins_0123456789abcdef0123456789abcdef',
    confirmApproval: async () => false,
    legacyOrigins: () => [],
    version: { app: '0.1.0', electron: '45.5.0', platform: 'linux' },
    openExternal: async () => true,
    setLocale: () => undefined,
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
    expect(Object.keys(api).sort()).toEqual(['app', 'cases', 'desktop', 'keychain']);
    expect(Object.keys(api.keychain).sort()).toEqual(['enroll', 'status']);
    expect(Object.keys(api.cases)).toEqual(['approve']);
    expect(Object.keys(api.app).sort()).toEqual(['openExternal', 'setLocale', 'version']);
    expect(api.desktop).toBe(true);
    expect(Object.isFrozen(api) && Object.isFrozen(api.keychain) && Object.isFrozen(api.cases) && Object.isFrozen(api.app)).toBe(true);
    expect(() => Object.assign(api.keychain, { invoke: () => 1 })).toThrow();
  });

  it('resolves with the value of a successful call', async () => {
    const { api, sent } = engineFor(`${ADMIN}/`);
    expect(await api.app.version()).toEqual({ app: '0.1.0', electron: '45.5.0', platform: 'linux' });
    expect(await api.app.openExternal('https://example.com/')).toBe(true);
    expect(await api.app.openExternal('http://example.com/')).toBe(false);
    await api.app.setLocale('de');
    expect(sent.every((c) => (IPC_CHANNELS as readonly string[]).includes(c))).toBe(true);
  });

  it("rejects with the main process's safe message and code", async () => {
    const { api } = engineFor(`${ADMIN}/`);
    const err = await api.cases.approve('../x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('caseId: Expected a case id.');
    expect((err as Error).name).toBe('bad_request');
    // Only the case id is sent, whatever else the page passes along.
    const failed = await api.cases.approve({ caseId: 'cas_1', casePublicKey: 'age1x' } as never).catch((e: Error) => e);
    expect((failed as Error).name).toBe('bad_request');
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
