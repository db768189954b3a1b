import { createHmac, hkdfSync, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FIELD_PREFIX, FieldCipher, FieldDecryptError, deriveSubkey, normalizeEmail, type FieldRef } from './field-cipher';

const RUNS = 300;
const randomString = (max: number) => {
  const len = randomInt(0, max + 1);
  let s = '';
  for (let i = 0; i < len; i++) {
    // Mix ASCII, Latin-1, CJK and astral characters (surrogate pairs).
    const pick = randomInt(4);
    const cp = pick === 0 ? randomInt(32, 127) : pick === 1 ? randomInt(0xa0, 0x100) : pick === 2 ? randomInt(0x4e00, 0x9fff) : randomInt(0x1f300, 0x1f5ff);
    s += String.fromCodePoint(cp);
  }
  return s;
};
const randomRef = (): FieldRef => ({ table: randomString(8) || 't', column: randomString(8) || 'c', rowId: randomBytes(6).toString('hex') });

describe('FieldCipher', () => {
  const cipher = new FieldCipher(randomBytes(32));

  it('round-trips any string for its own table, column and row', () => {
    for (let i = 0; i < RUNS; i++) {
      const value = randomString(300);
      const ref = randomRef();
      const stored = cipher.encrypt(value, ref);
      expect(stored.startsWith(FIELD_PREFIX)).toBe(true);
      expect(FieldCipher.isEncrypted(stored)).toBe(true);
      expect(cipher.decrypt(stored, ref)).toBe(value);
    }
  });

  it('uses a fresh nonce: the same value encrypts differently each time and never appears in the output', () => {
    const ref = { table: 'customers', column: 'email', rowId: 'c1' };
    const a = cipher.encrypt('anna@example.com', ref);
    const b = cipher.encrypt('anna@example.com', ref);
    expect(a).not.toBe(b);
    expect(a).not.toContain('anna');
    expect(Buffer.from(a.slice(FIELD_PREFIX.length), 'base64url').toString('latin1')).not.toContain('anna');
  });

  it('detects any flipped bit, truncation or extension', () => {
    for (let i = 0; i < RUNS; i++) {
      const ref = randomRef();
      const stored = cipher.encrypt(randomString(100), ref);
      const raw = Buffer.from(stored.slice(FIELD_PREFIX.length), 'base64url');
      const pos = randomInt(raw.length);
      raw[pos]! ^= 1 << randomInt(8);
      expect(() => cipher.decrypt(FIELD_PREFIX + raw.toString('base64url'), ref)).toThrow(FieldDecryptError);
      const original = Buffer.from(stored.slice(FIELD_PREFIX.length), 'base64url');
      const cut = original.subarray(0, randomInt(original.length));
      expect(() => cipher.decrypt(FIELD_PREFIX + cut.toString('base64url'), ref)).toThrow(FieldDecryptError);
      const longer = Buffer.concat([original, randomBytes(randomInt(1, 8))]);
      expect(() => cipher.decrypt(FIELD_PREFIX + longer.toString('base64url'), ref)).toThrow(FieldDecryptError);
    }
  });

  it('refuses a value moved to another row, column or table (AAD mismatch)', () => {
    for (let i = 0; i < RUNS; i++) {
      const ref = randomRef();
      const stored = cipher.encrypt(randomString(50), ref);
      const field = (['table', 'column', 'rowId'] as const)[randomInt(3)]!;
      const other = { ...ref, [field]: ref[field] + 'x' };
      expect(() => cipher.decrypt(stored, other)).toThrow(FieldDecryptError);
    }
    // The separator keeps ("ab","c") and ("a","bc") apart.
    const stored = cipher.encrypt('v', { table: 'ab', column: 'c', rowId: '1' });
    expect(() => cipher.decrypt(stored, { table: 'a', column: 'bc', rowId: '1' })).toThrow(FieldDecryptError);
  });

  it('refuses values encrypted under another data key and plain text', () => {
    const other = new FieldCipher(randomBytes(32));
    const ref = { table: 'requests', column: 'message', rowId: 'r1' };
    expect(() => other.decrypt(cipher.encrypt('hello', ref), ref)).toThrow(FieldDecryptError);
    expect(() => cipher.decrypt('hello', ref)).toThrow(FieldDecryptError);
    expect(FieldCipher.isEncrypted('ce1:short')).toBe(false);
  });

  it('passes null through the optional variants', () => {
    const ref = { table: 't', column: 'c', rowId: '1' };
    expect(cipher.encryptOptional(null, ref)).toBeNull();
    expect(cipher.encryptOptional(undefined, ref)).toBeNull();
    expect(cipher.decryptOptional(null, ref)).toBeNull();
    expect(cipher.decryptOptional(cipher.encryptOptional('', ref), ref)).toBe('');
  });

  it('keyed hashes are stable per key, separated by purpose and key, and match HKDF + HMAC-SHA256', () => {
    const key = Buffer.alloc(32, 7);
    const a = new FieldCipher(key);
    const b = new FieldCipher(Buffer.from(key));
    expect(a.lookupHash('customer-email', 'x@example.com')).toBe(b.lookupHash('customer-email', 'x@example.com'));
    expect(a.lookupHash('customer-email', 'x@example.com')).not.toBe(a.lookupHash('request-email', 'x@example.com'));
    expect(a.lookupHash('customer-email', 'x@example.com')).not.toBe(new FieldCipher(randomBytes(32)).lookupHash('customer-email', 'x@example.com'));
    const sub = Buffer.from(hkdfSync('sha256', key, Buffer.from('creative-engine data key'), Buffer.from('lookup-hash v1'), 32));
    const expected = createHmac('sha256', sub).update('customer-email\u0000x@example.com').digest('hex');
    expect(a.lookupHash('customer-email', 'x@example.com')).toBe(expected);
    expect(deriveSubkey(key, 'lookup-hash v1').equals(sub)).toBe(true);
  });

  it('refuses a data key of the wrong size and normalises e-mails', () => {
    expect(() => new FieldCipher(randomBytes(16))).toThrow(/32 bytes/);
    expect(normalizeEmail('  Anna@Example.COM ')).toBe('anna@example.com');
  });
});
