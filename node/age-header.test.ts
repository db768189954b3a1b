import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AgeError } from './age-error';
import { AGE_INTRO, decodeCanonicalBase64, parseAgeHeader, parseX25519Stanza } from './age-header';

// The C2SP vectors (age-vectors.test.ts) cover the format; these cover what they leave open: the
// canonical-base64 rule for every possible last character, and the parser's own bounds.

const MAC_LINE = `--- ${Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '')}\n`;
const header = (...lines: string[]) => Buffer.from(AGE_INTRO.toString('latin1') + lines.join('') + MAC_LINE, 'latin1');
const refusal = (file: Buffer) => {
  try {
    parseAgeHeader(file);
    return null;
  } catch (err) {
    return err instanceof AgeError ? err.kind : 'other';
  }
};

describe('strict age header parser', () => {
  it('accepts base64 exactly when re-encoding gives the same text', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let canonical = 0;
    for (const prefix of ['', 'Q', 'QU', 'QUF']) {
      for (const c of alphabet) {
        const text = prefix + c;
        const reencoded = Buffer.from(text, 'base64').toString('base64').replace(/=+$/, '');
        const decoded = decodeCanonicalBase64(text);
        expect(decoded !== null).toBe(text.length % 4 !== 1 && reencoded === text);
        if (decoded) canonical++;
      }
    }
    expect(canonical).toBe(0 + 4 + 16 + 64); // none of 1 character; 1 in 16 last characters of 2, 1 in 4 of 3; all of 4
    for (let n = 0; n < 50; n++) {
      const bytes = randomBytes(n);
      expect(decodeCanonicalBase64(bytes.toString('base64').replace(/=+$/, ''))?.equals(bytes)).toBe(true);
    }
    for (const bad of ['QQ==', 'QQ=', 'Q Q', 'QQ\r', 'Q-_A', 'QUFBQ']) expect(decodeCanonicalBase64(bad)).toBeNull();
  });

  it('parses a well-formed header and points at the MAC input and the payload', () => {
    const file = Buffer.concat([header('-> X25519 ' + 'A'.repeat(43) + '\n', 'A'.repeat(43) + '\n'), Buffer.from('payload')]);
    const parsed = parseAgeHeader(file);
    expect(parsed.stanzas).toHaveLength(1);
    expect(parseX25519Stanza(parsed.stanzas[0]!).wrappedKey).toHaveLength(32);
    expect(file.subarray(parsed.macInputEnd - 3, parsed.macInputEnd).toString()).toBe('---');
    expect(file.subarray(parsed.payloadStart).toString()).toBe('payload');
  });

  it('refuses, as a header failure, what no age writer produces', () => {
    const stanza = (args: string, body = '\n') => `-> ${args}\n${body}`;
    expect(refusal(header(stanza('a'.repeat(5000))))).toBe('header'); // a line beyond the bound
    expect(refusal(header(...Array.from({ length: 21 }, () => stanza('grease'))))).toBe('header');
    expect(refusal(header(...Array.from({ length: 20 }, () => stanza('grease'))))).toBeNull();
    expect(refusal(header(stanza('grease\t')))).toBe('header');
    expect(refusal(header(stanza('grease', 'A'.repeat(65) + '\n')))).toBe('header');
    expect(refusal(header(stanza('scrypt AAAAAAAAAAAAAAAAAAAAAA 10', 'A'.repeat(43) + '\n'), stanza('grease')))).toBe('header');
    expect(refusal(Buffer.from(AGE_INTRO.toString() + MAC_LINE.trimEnd()))).toBe('header'); // no LF after the MAC
  });

  it('refuses malformed X25519 stanzas', () => {
    const parse = (args: string[], body: Buffer) => () => parseX25519Stanza({ args, body });
    const share = 'A'.repeat(43);
    expect(parse(['X25519', share], Buffer.alloc(32))).not.toThrow();
    for (const [args, body] of [
      [['X25519'], Buffer.alloc(32)],
      [['X25519', share, 'extra'], Buffer.alloc(32)],
      [['X25519', 'A'.repeat(42)], Buffer.alloc(32)],
      [['X25519', 'A'.repeat(42) + 'B'], Buffer.alloc(32)],
      [['X25519', share], Buffer.alloc(48)],
      [['x25519', share], Buffer.alloc(32)],
    ] as const) {
      expect(parse([...args], body)).toThrow(AgeError);
    }
  });
});
