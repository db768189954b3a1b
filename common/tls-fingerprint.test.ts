import { describe, expect, it } from 'vitest';
import { parseTlsFingerprint, sameTlsFingerprint } from './tls-fingerprint';

const HEX = 'a1'.repeat(32);
const COLONS = Array.from({ length: 32 }, () => 'A1').join(':');

describe('TLS fingerprints', () => {
  it('accepts SHA256:hex, colon-separated hex (Node fingerprint256) and bare hex, in any case', () => {
    for (const t of [`SHA256:${HEX}`, `sha256:${HEX.toUpperCase()}`, COLONS, HEX, ` SHA-256:${COLONS} `]) {
      expect(parseTlsFingerprint(t)).toBe(`SHA256:${HEX}`);
    }
  });

  it('refuses anything that is not exactly 32 bytes', () => {
    for (const t of ['', 'SHA256:', HEX.slice(2), `${HEX}00`, `SHA1:${HEX}`, `SHA256:${HEX.slice(1)}g`, 42, null, 'x'.repeat(500)]) {
      expect(parseTlsFingerprint(t)).toBeNull();
    }
  });

  it('compares spellings of one certificate as equal and never equates invalid input', () => {
    expect(sameTlsFingerprint(COLONS, `SHA256:${HEX}`)).toBe(true);
    expect(sameTlsFingerprint(`SHA256:${HEX}`, `SHA256:${'b2'.repeat(32)}`)).toBe(false);
    expect(sameTlsFingerprint('bad', 'bad')).toBe(false);
  });
});
