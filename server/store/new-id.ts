import { randomBytes } from 'node:crypto';
import { ID_PREFIXES, type IdKind } from '../../common/schemas/ids';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A new random id for an entity: prefix, underscore, 16 base32 characters (80 random bits). */
export function newId(kind: IdKind): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = `${ID_PREFIXES[kind]}_`;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
