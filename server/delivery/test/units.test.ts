import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyUserAgent } from '../device-class';
import { LocalClock } from '../../../common/local-clock';
import { TokenSigner, tokenTail } from '../tokens';

describe('classifyUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36', 'desktop'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 'desktop'],
    ['Mozilla/5.0 (X11; CrOS x86_64 15886.0.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36', 'desktop'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1', 'mobile'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36', 'mobile'],
    ['Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1', 'tablet'],
    ['Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/126.0 Safari/537.36', 'tablet'],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'other'],
    ['curl/8.5.0', 'other'],
    ['Microsoft Office/16.0', 'other'],
    ['', 'other'],
  ])('%s → %s', (ua, expected) => {
    expect(classifyUserAgent(ua)).toBe(expected);
    expect(classifyUserAgent(ua)).toBe(expected); // cached answer is the same
  });

  it('keeps answering correctly when the cache overflows', () => {
    for (let i = 0; i < 5000; i++) classifyUserAgent(`Mozilla/5.0 (iPhone; rnd ${i}) Mobile`);
    expect(classifyUserAgent('Mozilla/5.0 (Windows NT 10.0)')).toBe('desktop');
  });

  it('classifies a huge hostile user agent in bounded time', () => {
    // "android(?!.*mobi)" rescans the rest of the string at every "android": quadratic without a cap.
    const hostile = `${'android'.repeat(9000)}mobi`;
    const started = performance.now();
    for (let i = 0; i < 5; i++) classifyUserAgent(`${hostile}${i}`);
    expect((performance.now() - started) / 5).toBeLessThan(20);
    expect(classifyUserAgent(`Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari ${'x'.repeat(3000)}`)).toBe('mobile');
  });
});

describe('LocalClock', () => {
  it('gives hour and weekday in the time zone, across daylight saving', () => {
    const c = new LocalClock('Europe/Berlin');
    expect(c.update(Date.parse('2025-01-05T23:30:00Z'))).toMatchObject({ hour: 0, weekday: 1 }); // Monday 00:30 CET
    expect(c.update(Date.parse('2025-07-06T21:59:00Z'))).toMatchObject({ hour: 23, weekday: 0 }); // Sunday 23:59 CEST
    expect(new LocalClock('UTC').update(Date.parse('2025-07-06T21:59:00Z'))).toMatchObject({ hour: 21, weekday: 0 });
    expect(() => new LocalClock('Mars/Olympus')).toThrow(RangeError);
  });
});

describe('TokenSigner', () => {
  const keys = () => ({ current: randomBytes(32), previous: null });

  it('round-trips claims and makes a fresh decision id every time', () => {
    const signer = new TokenSigner(keys());
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const { token, decisionId } = signer.issue(tokenTail('crv_aaaaaaaaaaaaaaaa', 'zon_bbbbbbbbbbbbbbbb'), 1_750_000_000 + i);
      expect(seen.has(decisionId)).toBe(false);
      seen.add(decisionId);
      expect(token.length).toBeLessThanOrEqual(200);
      expect(signer.verify(token)).toMatchObject({ decisionId, creativeId: 'crv_aaaaaaaaaaaaaaaa', zoneId: 'zon_bbbbbbbbbbbbbbbb', issuedAt: 1_750_000_000 + i });
    }
  });

  it('rejects every single-character change, truncation and another key', () => {
    const signer = new TokenSigner(keys());
    const { token } = signer.issue(tokenTail('crv_aaaaaaaaaaaaaaaa', 'zon_bbbbbbbbbbbbbbbb'), 1_750_000_000);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      const other = alphabet[(alphabet.indexOf(token[i]!) + 1 + (i % 63)) % 64]!;
      expect(signer.verify(token.slice(0, i) + other + token.slice(i + 1)), `position ${i}`).toBeNull();
    }
    expect(signer.verify(token.slice(0, -1))).toBeNull();
    expect(signer.verify(`${token}=`)).toBeNull();
    expect(signer.verify('')).toBeNull();
    expect(new TokenSigner(keys()).verify(token)).toBeNull();
  });

  it('verifies with the previous key after a rotation', () => {
    const first = keys();
    const signer = new TokenSigner({ current: Buffer.from(first.current), previous: null });
    const { token } = signer.issue(tokenTail('crv_aaaaaaaaaaaaaaaa', 'zon_bbbbbbbbbbbbbbbb'), 1);
    signer.setKeys({ current: randomBytes(32), previous: Buffer.from(first.current) });
    expect(signer.verify(token)).not.toBeNull();
    signer.setKeys({ current: randomBytes(32), previous: randomBytes(32) });
    expect(signer.verify(token)).toBeNull();
  });
});

describe('HmacSha256', () => {
  it('equals crypto.createHmac for keys and messages of every relevant length', async () => {
    const { createHmac } = await import('node:crypto');
    const { HmacSha256 } = await import('../hmac-sha256');
    for (const keyLength of [0, 1, 32, 63, 64, 65, 100]) {
      const key = randomBytes(keyLength);
      const h = new HmacSha256(key, 200);
      for (const length of [0, 1, 55, 56, 63, 64, 119, 200]) {
        const message = randomBytes(length);
        expect(h.mac(message).equals(createHmac('sha256', key).update(message).digest()), `key ${keyLength}, message ${length}`).toBe(true);
      }
    }
    // RFC 4231 test case 2.
    const rfc = new HmacSha256(Buffer.from('Jefe'), 64).mac(Buffer.from('what do ya want for nothing?'));
    expect(rfc.toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});

describe('IdSet', () => {
  it('adds each id once, through growth, and agrees with a Set', async () => {
    const { IdSet, idKey } = await import('../id-set');
    const set = new IdSet(16);
    const reference = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const id = randomBytes(16).toString('base64url');
      const [hi, lo] = idKey(id);
      expect(set.add(hi, lo)).toBe(true);
      reference.add(id);
      if (i % 7 === 0) expect(set.add(hi, lo)).toBe(false);
    }
    expect(set.size).toBe(reference.size);
    for (const id of [...reference].slice(0, 500)) expect(set.has(...idKey(id))).toBe(true);
    expect(set.has(1, 2)).toBe(false);
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
  });
});
