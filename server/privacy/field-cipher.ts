import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Where an encrypted value belongs; bound into the ciphertext so a value cannot be moved to another row or column. */
export interface FieldRef {
  table: string;
  column: string;
  rowId: string;
}

/** Prefix of every encrypted value; the digit is the format version (AES-256-GCM, 12-byte nonce, 16-byte tag). */
export const FIELD_PREFIX = 'ce1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ENCRYPTED = /^ce1:[A-Za-z0-9_-]{38,}$/;

/** A stored value could not be decrypted: wrong key, altered, or moved from another row. */
export class FieldDecryptError extends Error {
  override name = 'FieldDecryptError';
}

/** Derives a 32-byte subkey of the data key for one purpose (HKDF-SHA256). */
export function deriveSubkey(dataKey: Buffer, purpose: string): Buffer {
  if (dataKey.length !== 32) throw new Error('The data key must be 32 bytes.');
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.from('creative-engine data key'), Buffer.from(purpose), 32));
}

const aadOf = (ref: FieldRef) => Buffer.from(`${ref.table}\u0000${ref.column}\u0000${ref.rowId}`, 'utf8');

/**
 * Encrypts personal data field by field: AES-256-GCM with a random nonce per value and the
 * table, column and row id as associated data; keyed hashes (HMAC-SHA256) for equality lookups.
 * Holds only subkeys derived from the data key, never the data key itself.
 */
export class FieldCipher {
  private readonly encKey: Buffer;
  private readonly lookupKey: Buffer;

  constructor(dataKey: Buffer) {
    this.encKey = deriveSubkey(dataKey, 'field-encryption v1');
    this.lookupKey = deriveSubkey(dataKey, 'lookup-hash v1');
  }

  /** Encrypts one value for the given table, column and row. */
  encrypt(value: string, ref: FieldRef): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aadOf(ref));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return FIELD_PREFIX + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** Decrypts a value written by `encrypt` for the same table, column and row; throws FieldDecryptError otherwise. */
  decrypt(stored: string, ref: FieldRef): string {
    if (!ENCRYPTED.test(stored)) throw new FieldDecryptError(`${ref.table}.${ref.column} of ${ref.rowId} is not an encrypted value.`);
    const raw = Buffer.from(stored.slice(FIELD_PREFIX.length), 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new FieldDecryptError(`${ref.table}.${ref.column} of ${ref.rowId} is truncated.`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(aadOf(ref));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldDecryptError(`${ref.table}.${ref.column} of ${ref.rowId} failed authentication (wrong data key, altered or moved).`);
    }
  }

  /** `encrypt` that passes null and undefined through as null. */
  encryptOptional(value: string | null | undefined, ref: FieldRef): string | null {
    return value === null || value === undefined ? null : this.encrypt(value, ref);
  }

  /** `decrypt` that passes null through. */
  decryptOptional(stored: string | null, ref: FieldRef): string | null {
    return stored === null ? null : this.decrypt(stored, ref);
  }

  /** Keyed hash for equality lookups (hex); `purpose` separates domains, e.g. 'customer-email'. */
  lookupHash(purpose: string, value: string): string {
    return createHmac('sha256', this.lookupKey).update(purpose).update('\u0000').update(value, 'utf8').digest('hex');
  }

  /** Whether a stored value looks like this cipher's output (used to find rows written before encryption). */
  static isEncrypted(stored: string): boolean {
    return ENCRYPTED.test(stored);
  }
}

/** Canonical form of an e-mail address for keyed-hash lookups. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
