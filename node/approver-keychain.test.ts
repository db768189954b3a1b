import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptWith, encryptTo, generateX25519Key } from './age-files';
import { createApproverKeychain, keychainAccount, KeychainError, SHARE_BYTES } from './approver-keychain';
import { KEYRING, missing } from './test/requirements';

const SERVER = 'http://127.0.0.1:8081/some/path';

describe('keychainAccount', () => {
  it('names the account by origin and lower-case e-mail', () => {
    expect(keychainAccount(SERVER, ' Ann@Example.COM ')).toBe('http://127.0.0.1:8081|ann@example.com');
    expect(() => keychainAccount('ftp://x', 'a@b.c')).toThrow(KeychainError);
    expect(() => keychainAccount('not a url', 'a@b.c')).toThrow(KeychainError);
    expect(() => keychainAccount(SERVER, 'nobody')).toThrow(KeychainError);
  });
});

describe.skipIf(missing(KEYRING))('approver keychain (real OS keychain; skipped outside scripts/test.sh: no D-Bus keyring)', () => {
  const keychain = createApproverKeychain({ service: `creative-engine-test-${randomBytes(4).toString('hex')}` });

  it('enrols once per server and user, idempotently', async () => {
    const email = 'dpo@example.com';
    expect(await keychain.publicKey(SERVER, email)).toBeNull();
    const [a, b] = await Promise.all([keychain.enroll(SERVER, email), keychain.enroll(SERVER, email)]);
    expect(a.publicKey).toMatch(/^age1[0-9a-z]{58}$/);
    expect(b.publicKey).toBe(a.publicKey);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await keychain.publicKey(SERVER, 'DPO@example.com')).toBe(a.publicKey);
    const other = await keychain.enroll('http://127.0.0.1:9999', email);
    expect(other.publicKey).not.toBe(a.publicKey);
    expect(await keychain.remove('http://127.0.0.1:9999', email)).toBe(true);
  });

  it('re-wraps a share to a case key without exposing it', async () => {
    const email = 'boss@example.com';
    const { publicKey } = await keychain.enroll(SERVER, email);
    const share = randomBytes(SHARE_BYTES);
    const encrypted = Buffer.from(await encryptTo(publicKey, share)).toString('base64');
    const caseKey = await generateX25519Key();
    caseKey.secret.fill(0);
    const rewrapped = await keychain.rewrapShare(SERVER, email, encrypted, caseKey.key.recipient);
    const back = await decryptWith(caseKey.key.cryptoKey, Buffer.from(rewrapped, 'base64'));
    expect(Buffer.from(back).equals(share)).toBe(true);
    expect(rewrapped).not.toContain(share.toString('base64'));
  });

  it('refuses bad input, foreign shares, non-shares and unknown users with one clear error each', async () => {
    const email = 'boss@example.com';
    const { publicKey } = await keychain.enroll(SERVER, email);
    const caseKey = (await generateX25519Key()).key.recipient;
    const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof KeychainError ? e.code : String(e)));
    const stranger = (await generateX25519Key()).key.recipient;
    const foreign = Buffer.from(await encryptTo(stranger, randomBytes(SHARE_BYTES))).toString('base64');
    const big = Buffer.from(await encryptTo(publicKey, randomBytes(1000))).toString('base64');
    const good = Buffer.from(await encryptTo(publicKey, randomBytes(SHARE_BYTES))).toString('base64');
    expect(await code(keychain.rewrapShare(SERVER, email, foreign, caseKey))).toBe('not_a_share');
    expect(await code(keychain.rewrapShare(SERVER, email, big, caseKey))).toBe('not_a_share');
    expect(await code(keychain.rewrapShare(SERVER, email, good, 'age1nope'))).toBe('invalid_input');
    expect(await code(keychain.rewrapShare(SERVER, email, 'not base64!', caseKey))).toBe('invalid_input');
    expect(await code(keychain.rewrapShare(SERVER, email, 'A'.repeat(10_000), caseKey))).toBe('invalid_input');
    expect(await code(keychain.rewrapShare(SERVER, 'new@example.com', good, caseKey))).toBe('not_enrolled');
    const err = await keychain.rewrapShare(SERVER, email, foreign, caseKey).catch((e: Error) => e);
    expect(String((err as Error).message)).not.toMatch(/AGE-SECRET-KEY/i);
  });

  it('removes an identity', async () => {
    await keychain.enroll(SERVER, 'gone@example.com');
    expect(await keychain.remove(SERVER, 'gone@example.com')).toBe(true);
    expect(await keychain.publicKey(SERVER, 'gone@example.com')).toBeNull();
    expect(await keychain.remove(SERVER, 'gone@example.com')).toBe(false);
  });
});
