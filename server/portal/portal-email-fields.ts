import { normalizeEmail, type FieldCipher } from '../privacy/field-cipher';

/** Keyed hash of a customer user's e-mail (normalised first); one purpose for users and invitations so they can be matched. */
export function portalEmailHash(cipher: FieldCipher, email: string): string {
  return cipher.lookupHash('portal-email', normalizeEmail(email));
}

/** The stored columns for an e-mail of a portal table row: ciphertext bound to the row and its keyed hash. */
export function sealPortalEmail(cipher: FieldCipher, table: 'portal_users' | 'portal_invitations', id: string, email: string): { email: string; email_hash: string } {
  const normalized = normalizeEmail(email);
  return { email: cipher.encrypt(normalized, { table, column: 'email', rowId: id }), email_hash: portalEmailHash(cipher, normalized) };
}

/** The e-mail of a stored portal table row. */
export function openPortalEmail(cipher: FieldCipher, table: 'portal_users' | 'portal_invitations', row: { id: string; email: string }): string {
  return cipher.decrypt(row.email, { table, column: 'email', rowId: row.id });
}
