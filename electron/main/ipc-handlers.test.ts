import { randomBytes } from 'node:crypto';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../common/ipc';
import { createApproverKeychain, SHARE_BYTES } from '../../node/approver-keychain';
import { decryptWith, encryptTo } from '../../node/age-files';
import { createInProcessIpc } from '../test/in-process-ipc';
import { registerIpcHandlers } from './ipc-handlers';
import type { MainLogger } from './logger';
import { KEYRING, missing } from '../../node/test/requirements';

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
  // A keychain service of its own per run: the real Secret Service of the test D-Bus session.
  const keychain = createApproverKeychain({ service: `creative-engine-test-${randomBytes(4).toString('hex')}` });
  const unregister = registerIpcHandlers(ipc, {
    adminOrigin: () => (options.adminOrigin === undefined ? ADMIN : options.adminOrigin),
    keychain,
    keychainServerUrl: SERVER,
    version: { app: '0.1.0', electron: '45.5.0', platform: 'linux' },
    openExternal: async (url) => (opened.push(url), true),
    log,
  });
  return { ipc, lines, opened, keychain, unregister };
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
    ['Keychain:enroll', [{ email: 'not-an-email' }], 'email: Enter a valid e-mail address.'],
    ['Keychain:enroll', [{ email: 'dpo@example.com', server: 'http://x' }], /server/],
    ['Keychain:enroll', ['dpo@example.com'], /expected object/i],
    ['Keychain:enroll', [], /expected object/i],
    ['Keychain:status', [{ email: 'a@b.c' }, { email: 'a@b.c' }], 'Expected a single argument.'],
    ['Keychain:rewrapShare', [{ email: 'dpo@example.com', encryptedShare: 'AAAA', caseRecipient: 'age1nope' }], /^caseRecipient: Expected an age X25519 public key/],
    ['Keychain:rewrapShare', [{ email: 'dpo@example.com', encryptedShare: 'not base64!', caseRecipient: RECIPIENT }], 'encryptedShare: Expected base64.'],
    ['Keychain:rewrapShare', [{ email: 'dpo@example.com', encryptedShare: 'A'.repeat(5000), caseRecipient: RECIPIENT }], 'encryptedShare: The share is too large.'],
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

  it('opens only checked https links, through the confirmation the main process gives', async () => {
    const { ipc, opened } = setup();
    expect(await ipc.invoke(console_, 'App:openExternal', { url: 'https://example.com/docs' })).toEqual({ ok: true, value: { opened: true } });
    for (const url of ['http://example.com/', 'file:///etc/passwd', `${ADMIN}/`, 'https://u:p@example.com/', 'https://127.0.0.1:9/']) {
      expect(await ipc.invoke(console_, 'App:openExternal', { url })).toEqual({ ok: true, value: { opened: false } });
    }
    expect(opened).toEqual(['https://example.com/docs']);
  });
});

describe.skipIf(missing(KEYRING))('registerIpcHandlers with the real OS keychain (skipped outside scripts/test.sh: no D-Bus keyring)', () => {
  let ctx: ReturnType<typeof setup>;
  const email = 'dpo@example.com';
  beforeAll(() => {
    ctx = setup();
  });
  afterAll(async () => {
    await ctx.keychain.remove(SERVER, email);
  });

  it('enrols, reports the status and returns only the public key', async () => {
    const { ipc } = ctx;
    expect(await ipc.invoke(console_, 'Keychain:status', { email })).toEqual({ ok: true, value: { enrolled: false, publicKey: null } });
    const enrolled = (await ipc.invoke(console_, 'Keychain:enroll', { email: ' DPO@Example.com ' })) as { ok: true; value: { publicKey: string } };
    expect(enrolled.ok).toBe(true);
    expect(Object.keys(enrolled.value)).toEqual(['publicKey']);
    expect(enrolled.value.publicKey).toMatch(/^age1[0-9a-z]{58}$/);
    expect(JSON.stringify(enrolled)).not.toMatch(/AGE-SECRET-KEY/i);
    expect(await ipc.invoke(console_, 'Keychain:status', { email })).toEqual({ ok: true, value: { enrolled: true, publicKey: enrolled.value.publicKey } });
    // Filed under the embedded server's stable name, not under the admin URL of this start.
    expect(await ctx.keychain.publicKey(SERVER, email)).toBe(enrolled.value.publicKey);
    expect(await ctx.keychain.publicKey(ADMIN, email)).toBeNull();
  });

  it('re-wraps a share to the case key; the case key holder can read it, nothing secret crosses', async () => {
    const { ipc } = ctx;
    const { publicKey } = (await ctx.keychain.enroll(SERVER, email));
    const share = randomBytes(SHARE_BYTES);
    const encryptedShare = Buffer.from(await encryptTo(publicKey, share)).toString('base64');
    const caseIdentity = await generateIdentity();
    const caseRecipient = await identityToRecipient(caseIdentity);
    const reply = (await ipc.invoke(console_, 'Keychain:rewrapShare', { email, encryptedShare, caseRecipient })) as { ok: true; value: { rewrappedShare: string } };
    expect(reply.ok).toBe(true);
    const back = await decryptWith(caseIdentity, Buffer.from(reply.value.rewrappedShare, 'base64'));
    expect(Buffer.from(back).equals(share)).toBe(true);
    expect(JSON.stringify(reply)).not.toContain(share.toString('base64'));
  });

  it('turns keychain failures into safe, actionable errors', async () => {
    const { ipc, lines } = ctx;
    const stranger = await identityToRecipient(await generateIdentity());
    const caseRecipient = await identityToRecipient(await generateIdentity());
    const foreign = Buffer.from(await encryptTo(stranger, randomBytes(SHARE_BYTES))).toString('base64');
    expect(await ipc.invoke(console_, 'Keychain:rewrapShare', { email, encryptedShare: foreign, caseRecipient })).toMatchObject({
      ok: false,
      error: { code: 'share_invalid', message: expect.stringMatching(/not encrypted to this approver/) },
    });
    expect(await ipc.invoke(console_, 'Keychain:rewrapShare', { email: 'new@example.com', encryptedShare: foreign, caseRecipient })).toMatchObject({
      ok: false,
      error: { code: 'not_enrolled', message: expect.stringMatching(/^Not enrolled/) },
    });
    expect(lines.join('\n')).not.toMatch(/@example\.com|AGE-SECRET-KEY/i);
  });
});
