import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptWith, encryptTo, generateX25519Key } from './age-files';
import keytar from 'keytar';
import { createApproverKeychain, keychainAccount, KeychainError, legacyKeychainAccount, SHARE_BYTES } from './approver-keychain';
import { KEYRING, missing } from './test/requirements';

const INS = 'ins_0123456789abcdef0123456789abcdef';
const OTHER_INS = 'ins_fedcba9876543210fedcba9876543210';
const SERVER = 'http://127.0.0.1:8081/some/path';
const who = (email: string, installationId = INS) => ({ installationId, email });

describe('keychainAccount', () => {
  it('names the account by installation id and lower-case e-mail, never by URL', () => {
    expect(keychainAccount(INS, ' Ann@Example.COM ')).toBe(`${INS}|ann@example.com`);
    expect(() => keychainAccount(SERVER, 'a@b.c')).toThrow(KeychainError);
    expect(() => keychainAccount('ins_xyz', 'a@b.c')).toThrow(KeychainError);
    expect(() => keychainAccount(INS, 'nobody')).toThrow(KeychainError);
  });

  it('names the legacy account by origin and e-mail (only read to move it)', () => {
    expect(legacyKeychainAccount(SERVER, ' Ann@Example.COM ')).toBe('http://127.0.0.1:8081|ann@example.com');
    expect(() => legacyKeychainAccount('ftp://x', 'a@b.c')).toThrow(KeychainError);
  });
});

describe.skipIf(missing(KEYRING))('approver keychain (real OS keychain; skipped outside scripts/test.sh: no D-Bus keyring)', () => {
  const service = `creative-engine-test-${randomBytes(4).toString('hex')}`;
  const keychain = createApproverKeychain({ service });

  it('enrols once per installation and user, idempotently', async () => {
    const email = 'dpo@example.com';
    expect(await keychain.publicKey(who(email))).toBeNull();
    const [a, b] = await Promise.all([keychain.enroll(who(email)), keychain.enroll(who(email))]);
    expect(a.publicKey).toMatch(/^age1[0-9a-z]{58}$/);
    expect(b.publicKey).toBe(a.publicKey);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await keychain.publicKey(who('DPO@example.com'))).toBe(a.publicKey);
    const other = await keychain.enroll(who(email, OTHER_INS));
    expect(other.publicKey).not.toBe(a.publicKey);
    expect(await keychain.remove(who(email, OTHER_INS))).toBe(true);
  });

  it('re-wraps a share to a case key without exposing it', async () => {
    const email = 'boss@example.com';
    const { publicKey } = await keychain.enroll(who(email));
    const share = randomBytes(SHARE_BYTES);
    const encrypted = Buffer.from(await encryptTo(publicKey, share)).toString('base64');
    const caseKey = await generateX25519Key();
    caseKey.secret.fill(0);
    const rewrapped = await keychain.rewrapShare(who(email), encrypted, caseKey.key.recipient);
    const back = await decryptWith(caseKey.key.cryptoKey, Buffer.from(rewrapped, 'base64'));
    expect(Buffer.from(back).equals(share)).toBe(true);
    expect(rewrapped).not.toContain(share.toString('base64'));
  });

  it('refuses bad input, foreign shares, non-shares and unknown users with one clear error each', async () => {
    const email = 'boss@example.com';
    const { publicKey } = await keychain.enroll(who(email));
    const caseKey = (await generateX25519Key()).key.recipient;
    const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof KeychainError ? e.code : String(e)));
    const stranger = (await generateX25519Key()).key.recipient;
    const foreign = Buffer.from(await encryptTo(stranger, randomBytes(SHARE_BYTES))).toString('base64');
    const big = Buffer.from(await encryptTo(publicKey, randomBytes(1000))).toString('base64');
    const good = Buffer.from(await encryptTo(publicKey, randomBytes(SHARE_BYTES))).toString('base64');
    expect(await code(keychain.rewrapShare(who(email), foreign, caseKey))).toBe('not_a_share');
    expect(await code(keychain.rewrapShare(who(email), big, caseKey))).toBe('not_a_share');
    expect(await code(keychain.rewrapShare(who(email), good, 'age1nope'))).toBe('invalid_input');
    expect(await code(keychain.rewrapShare(who(email), 'not base64!', caseKey))).toBe('invalid_input');
    expect(await code(keychain.rewrapShare(who(email), 'A'.repeat(10_000), caseKey))).toBe('invalid_input');
    expect(await code(keychain.rewrapShare(who('new@example.com'), good, caseKey))).toBe('not_enrolled');
    const err = await keychain.rewrapShare(who(email), foreign, caseKey).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toMatch(/AGE-SECRET-KEY/i);
  });

  it('removes an identity', async () => {
    await keychain.enroll(who('gone@example.com'));
    expect(await keychain.remove(who('gone@example.com'))).toBe(true);
    expect(await keychain.publicKey(who('gone@example.com'))).toBeNull();
    expect(await keychain.remove(who('gone@example.com'))).toBe(false);
  });

  it('moves an identity filed under a legacy server origin to the installation account on first use', async () => {
    const email = 'moved@example.com';
    const legacyOrigins = ['http://127.0.0.1:7777', SERVER];
    const old = await createApproverKeychain({ service }).enroll(who(email, OTHER_INS));
    // File it the old way by hand: under `${origin}|${email}`, as the previous version did.
    const identity = await keytar.getPassword(service, keychainAccount(OTHER_INS, email));
    await keychain.remove(who(email, OTHER_INS));
    await keytar.setPassword(service, legacyKeychainAccount(SERVER, email), identity!);
    expect(await keychain.publicKey(who(email))).toBeNull(); // not looked for without legacyOrigins
    expect(await keychain.publicKey({ ...who(email), legacyOrigins })).toBe(old.publicKey);
    expect(await keytar.getPassword(service, legacyKeychainAccount(SERVER, email))).toBeNull();
    expect(await keytar.getPassword(service, keychainAccount(INS, email))).toBe(identity);
    expect(await keychain.publicKey(who(email))).toBe(old.publicKey);
    const again = await keychain.enroll({ ...who(email), legacyOrigins });
    expect(again).toEqual({ publicKey: old.publicKey, created: false });
    expect(await keychain.remove(who(email))).toBe(true);
  });
});
