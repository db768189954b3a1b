import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode } from '../../common/base32';
import { hotp, matchTotpStep, newTotpSecret, otpauthUri, totpCode, totpStepAt } from './totp';

const ascii = (s: string) => Buffer.from(s, 'ascii');

describe('HOTP and TOTP against the published vectors', () => {
  it('matches RFC 4226 appendix D (HOTP, SHA-1, 6 digits)', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, counter) => hotp(ascii('12345678901234567890'), counter))).toEqual(expected);
  });

  it('matches RFC 6238 appendix B (TOTP, 30 s steps, 8 digits, SHA-1/256/512)', () => {
    const keys = { sha1: ascii('12345678901234567890'), sha256: ascii('12345678901234567890123456789012'), sha512: ascii('1234567890123456789012345678901234567890123456789012345678901234') };
    const vectors: Array<[number, string, string, string]> = [
      [59, '94287082', '46119246', '90693936'],
      [1111111109, '07081804', '68084774', '25091201'],
      [1111111111, '14050471', '67062674', '99943326'],
      [1234567890, '89005924', '91819424', '93441116'],
      [2000000000, '69279037', '90698825', '38618901'],
      [20000000000, '65353130', '77737706', '47863826'],
    ];
    for (const [seconds, sha1, sha256, sha512] of vectors) {
      const step = totpStepAt(seconds * 1000);
      expect([hotp(keys.sha1, step, 8), hotp(keys.sha256, step, 8, 'sha256'), hotp(keys.sha512, step, 8, 'sha512')]).toEqual([sha1, sha256, sha512]);
    }
  });

  it('round-trips base32 (RFC 4648 vectors, no padding) and makes 160-bit secrets', () => {
    const cases: Array<[string, string]> = [['', ''], ['f', 'MY'], ['fo', 'MZXQ'], ['foo', 'MZXW6'], ['foob', 'MZXW6YQ'], ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI']];
    for (const [plain, encoded] of cases) {
      expect(base32Encode(ascii(plain))).toBe(encoded);
      expect(Buffer.from(base32Decode(encoded.toLowerCase())).toString('ascii')).toBe(plain);
    }
    expect(() => base32Decode('ABC1')).toThrow();
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(secret);
  });

  it('accepts one step of drift either way, and only steps after the last accepted one', () => {
    const secret = base32Encode(ascii('12345678901234567890'));
    const now = 1111111111 * 1000;
    const step = totpStepAt(now);
    expect(matchTotpStep(secret, totpCode(secret, step), now, null)).toBe(step);
    expect(matchTotpStep(secret, totpCode(secret, step - 1), now, null)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCode(secret, step + 1), now, null)).toBe(step + 1);
    expect(matchTotpStep(secret, totpCode(secret, step - 2), now, null)).toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, step + 2), now, null)).toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, step), now, step)).toBeNull(); // replay
    expect(matchTotpStep(secret, totpCode(secret, step - 1), now, step)).toBeNull(); // an older code after a newer one
    expect(matchTotpStep(secret, totpCode(secret, step + 1), now, step)).toBe(step + 1);
    expect(matchTotpStep(secret, '12345', now, null)).toBeNull();
    expect(matchTotpStep(secret, `${totpCode(secret, step).slice(0, 3)} ${totpCode(secret, step).slice(3)}`, now, null)).toBe(step);
  });

  it('builds the otpauth URI authenticator apps read', () => {
    const uri = new URL(otpauthUri('JBSWY3DPEHPK3PXP', 'mia@example.test', 'Creative Engine'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe('JBSWY3DPEHPK3PXP');
    expect(uri.searchParams.get('issuer')).toBe('Creative Engine');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(otpauthUri('JBSWY3DPEHPK3PXP', 'mia@example.test', 'Creative Engine')).toMatch(/^otpauth:\/\/totp\/Creative%20Engine%3Amia%40example\.test\?/);
  });
});
