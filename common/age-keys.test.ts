import { bech32, bech32m } from '@scure/base';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { ageIdentityFromSecret, ageIdentitySecret, ageRecipientFromKey, ageRecipientKey, isAgeIdentity, isAgeRecipient } from './age-keys';
import { ageRecipientSchema } from './schemas/keys';

// The identity of the C2SP age test vectors (cctv-age), and what the age tools derive from it.
const VECTOR_IDENTITY = 'AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0';

/** Re-checksums a recipient's key bytes with the last 5-bit word altered (the 4 padding bits set). */
function withPaddingBits(recipient: string): string {
  const words = [...bech32.decode(recipient).words];
  words[words.length - 1]! |= 1;
  return bech32.encode('age', words);
}

describe('age key strings', () => {
  it('agrees with age-encryption in both directions', async () => {
    for (const identity of [VECTOR_IDENTITY, await generateIdentity()]) {
      const recipient = await identityToRecipient(identity);
      const secret = ageIdentitySecret(identity)!;
      expect(ageIdentityFromSecret(secret)).toBe(identity);
      expect(ageRecipientFromKey(ageRecipientKey(recipient)!)).toBe(recipient);
      expect(isAgeIdentity(identity)).toBe(true);
      expect(isAgeRecipient(recipient)).toBe(true);
      expect(ageRecipientSchema.parse(` ${recipient} `)).toBe(recipient);
    }
  });

  it('accepts only the canonical spelling with a valid checksum', async () => {
    const recipient = await identityToRecipient(VECTOR_IDENTITY);
    const flip = (s: string) => s.slice(0, -1) + (s.endsWith('q') ? 'p' : 'q');
    const badRecipients: unknown[] = [
      flip(recipient),
      recipient.toUpperCase(),
      'Age1' + recipient.slice(4),
      recipient + 'q',
      recipient.slice(0, -1),
      withPaddingBits(recipient),
      bech32m.encode('age', bech32.decode(recipient).words), // bech32m is not age's checksum
      bech32.encode('age', bech32.toWords(new Uint8Array(31))),
      VECTOR_IDENTITY,
      VECTOR_IDENTITY.toLowerCase(),
      `age1${'q'.repeat(58)}`,
      '',
      'age1',
      42,
      null,
      undefined,
    ];
    for (const bad of badRecipients) {
      expect(ageRecipientKey(bad)).toBeNull();
      expect(ageRecipientSchema.safeParse(bad).success).toBe(false);
    }
    for (const bad of [flip(VECTOR_IDENTITY), VECTOR_IDENTITY.toLowerCase(), recipient, 'AGE-SECRET-KEY-1', ageIdentityFromSecret(new Uint8Array(32)).replace('AGE-SECRET-KEY-1', 'AGE-SECRET-KEY-PQ-1'), 7]) {
      expect(ageIdentitySecret(bad)).toBeNull();
      expect(isAgeIdentity(bad)).toBe(false);
    }
  });

  it('never passes the input on in an error, and refuses keys of the wrong size', () => {
    const result = ageRecipientSchema.safeParse('age1' + 'x'.repeat(58));
    expect(JSON.stringify(result.error?.issues)).not.toContain('xxxx');
    expect(() => ageRecipientFromKey(new Uint8Array(31))).toThrow('32 bytes');
    expect(() => ageIdentityFromSecret(new Uint8Array(33))).toThrow('32 bytes');
  });
});
