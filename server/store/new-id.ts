import { randomBytes } from 'node:crypto';
import { base32Encode } from '../../common/base32';
import { ID_PREFIXES, type IdKind } from '../../common/schemas/ids';

/** A new random id for an entity: prefix, underscore, 16 base32 characters (80 random bits). */
export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${base32Encode(randomBytes(10)).toLowerCase()}`;
}
