import { normalizeEmail, type FieldCipher } from '../privacy/field-cipher';

/** Marks users rows whose e-mail is encrypted (0: written before migration 033, plain text). */
export const STAFF_PII_VERSION = 1;

const ref = (rowId: string) => ({ table: 'users', column: 'email', rowId });

/** Keyed hash of a staff e-mail for sign-in lookups and uniqueness (normalised first, so case does not matter). */
export function staffEmailHash(cipher: FieldCipher, email: string): string {
  return cipher.lookupHash('staff-email', normalizeEmail(email));
}

/** The stored columns for a staff e-mail: ciphertext bound to the row, its keyed hash and the version marker. */
export function sealStaffEmail(cipher: FieldCipher, id: string, email: string): { email: string; email_hash: string; pii_version: number } {
  const normalized = normalizeEmail(email);
  return { email: cipher.encrypt(normalized, ref(id)), email_hash: staffEmailHash(cipher, normalized), pii_version: STAFF_PII_VERSION };
}

/** The e-mail of a stored users row (a row not yet converted is returned as stored). */
export function openStaffEmail(cipher: FieldCipher, row: { id: string; email: string; pii_version: number }): string {
  return row.pii_version ? cipher.decrypt(row.email, ref(row.id)) : row.email;
}
