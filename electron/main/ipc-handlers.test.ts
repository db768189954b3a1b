import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../common/ipc';
import type { AdminCall } from '../../node/admin-call';
import { createApproverKeychain } from '../../node/approver-keychain';
import { createInProcessIpc } from '../test/in-process-ipc';
import { registerIpcHandlers } from './ipc-handlers';
import type { MainLogger } from './logger';

const ADMIN = 'http://127.0.0.1:43123';
const SERVER = 'http://embedded.creative-engine.localhost';
const console_ = { url: `${ADMIN}/cases/c1` };
// A well-formed recipient (checksum included), so that only the field under test is wrong.
const RECIPIENT = 'age1xmwwc06ly3ee5rytxm9mflaz2u56jjj36s0mypdrwsvlul66mv4q47ryef';

function setup(options: { adminOrigin?: string | null } = {}) {
  const ipc = createInProcessIpc();
  const lines: string[] = [];
  const log: MainLogger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
  const opened: string[] = [];
  const locales: string[] = [];
  // A keychain service of its own per run: the real Secret Service of the test D-Bus session.
  const keychain = createApproverKeychain({ service: `creative-engine-test-${randomBytes(4).toString('hex')}` });
  // No server behind these: calls that would reach it fail as "server unavailable" (renderer/test/desktop-approve.test.ts runs them against a real one).
  const calls: string[] = [];
  const adminCall: AdminCall = async (method, path) => {
    calls.push(`${method} ${path}`);
    throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
  };
  const unregister = registerIpcHandlers(ipc, {
    adminOrigin: () => (options.adminOrigin === undefined ? ADMIN : options.adminOrigin),
    keychain,
    adminCall,
    installationId: async () => 'ins_0123456789abcdef0123456789abcdef',
    confirmApproval: async () => true,
    legacyOrigins: () => [SERVER],
    version: { app: '0.1.0', electron: '45.5.0', platform: 'linux' },
    openExternal: async (url) => (opened.push(url), true),
    setLocale: (locale) => locales.push(locale),
    log,
  });
  return { ipc, lines, opened, keychain, unregister, calls, locales };
}

describe('registerIpcHandlers: sender and arguments', () => {
  it('registers exactly the channels of common/ipc.ts, and removes them again', () => {
    const { ipc, unregister } = setup();
    expect(ipc.channels().sort()).toEqual([...IPC_CHANNELS].sort());
    unregister();
    expect(ipc.channels()).toEqual([]);
  });

  it('answers the console top frame', async () => {
    const { ipc } = setup();
    expect(await ipc.invoke(console_, 'App:version')).toEqual({ ok: true, value: { app: '0.1.0', electron: '45.5.0', platform: 'linux' } });
  });

  it.each([
    ['another origin', { url: 'https://evil.example/' }],
    ['the delivery listener', { url: 'http://127.0.0.1:8080/v1/zone/zon_x/frame' }],
    ['an iframe on the admin origin (e.g. an HTML creative preview)', { url: `${ADMIN}/preview`, parent: {} }],
    ['about:srcdoc', { url: 'about:srcdoc' }],
    ['a destroyed frame', null],
  ])('refuses %s', async (_what, frame) => {
    const { ipc, lines } = setup();
    for (const channel of IPC_CHANNELS) {
      const reply = (await ipc.invoke(frame, channel, { email: 'dpo@example.com' })) as { ok: boolean; error: { code: string } };
      expect(reply).toEqual({ ok: false, error: { code: 'forbidden', message: 'Only the console window may use the desktop functions.' } });
    }
    expect(lines.filter((l) => l.includes('sender is not the console'))).toHaveLength(IPC_CHANNELS.length);
  });

  it('refuses everything while the server (and so the admin origin) is not up', async () => {
    const { ipc } = setup({ adminOrigin: null });
    expect(await ipc.invoke(console_, 'App:version')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it.each([
    // The page names no server, user or key: the main process asks the server for all of them.
    ['Keychain:enroll', [{ email: 'dpo@example.com' }], /expected undefined/i],
    ['Keychain:enroll', [{ server: 'http://x' }], /expected undefined/i],
    ['Keychain:status', [{ email: 'a@b.c' }], /expected undefined/i],
    ['Keychain:status', [undefined, undefined], 'Expected a single argument.'],
    ['Cases:approve', [{ caseId: 'cas_1', casePublicKey: RECIPIENT }], /casePublicKey/],
    ['Cases:approve', [{ caseId: 'cas_1', encryptedShare: 'AAAA' }], /encryptedShare/],
    ['Cases:approve', [{ caseId: '../keys' }], /^caseId: Expected a case id/],
    ['Cases:approve', ['cas_1'], /expected object/i],
    ['App:version', [{ anything: 1 }], /expected undefined/i],
    ['App:openExternal', [{ url: 42 }], /^url: /],
  ])('%s refuses bad arguments %j with a safe message', async (channel, args, message) => {
    const { ipc } = setup();
    const reply = (await ipc.invoke(console_, channel, ...args)) as { ok: false; error: { code: string; message: string } };
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe('bad_request');
    expect(reply.error.message).toMatch(message);
    expect(reply.error.message).not.toContain('not base64!');
  });

  it('reaches the server for who and which case, and says so plainly when it is not there', async () => {
    const { ipc, calls } = setup();
    expect(await ipc.invoke(console_, 'Cases:approve', { caseId: 'cas_1' })).toEqual({
      ok: false,
      error: { code: 'server_unavailable', message: 'The server did not answer; try again in a moment.' },
    });
    expect(calls).toContain('GET /api/me');
  });

  it('opens only checked https links, through the confirmation the main process gives', async () => {
    const { ipc, opened } = setup();
    expect(await ipc.invoke(console_, 'App:openExternal', { url: 'https://example.com/docs' })).toEqual({ ok: true, value: { opened: true } });
    for (const url of ['http://example.com/', 'file:///etc/passwd', `${ADMIN}/`, 'https://u:p@example.com/', 'https://127.0.0.1:9/']) {
      expect(await ipc.invoke(console_, 'App:openExternal', { url })).toEqual({ ok: true, value: { opened: false } });
    }
    expect(opened).toEqual(['https://example.com/docs']);
  });

  it('takes the console language for the dialogs, and nothing but de or en', async () => {
    const { ipc, locales } = setup();
    expect(await ipc.invoke(console_, 'App:setLocale', { locale: 'de' })).toEqual({ ok: true, value: { locale: 'de' } });
    expect(await ipc.invoke(console_, 'App:setLocale', { locale: 'fr' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await ipc.invoke({ url: 'https://elsewhere.example/' }, 'App:setLocale', { locale: 'en' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(locales).toEqual(['de']);
  });
});
