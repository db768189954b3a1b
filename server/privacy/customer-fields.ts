import { normalizeEmail, type FieldCipher } from './field-cipher';

/** The customers columns holding contact data: encrypted at rest, each bound to its row. */
export const CUSTOMER_PERSONAL_COLUMNS = ['email', 'phone', 'address', 'contact_person', 'notes'] as const;
export type CustomerPersonalColumn = (typeof CUSTOMER_PERSONAL_COLUMNS)[number];
export type CustomerPersonalValues = { email: string } & Record<Exclude<CustomerPersonalColumn, 'email'>, string | null>;

/** Marks rows whose personal columns are encrypted (0: written before encryption, plain text). */
export const CUSTOMER_PII_VERSION = 1;

/** Keyed hash of a customer's e-mail for equality lookups. */
export function customerEmailHash(cipher: FieldCipher, email: string): string {
  return cipher.lookupHash('customer-email', normalizeEmail(email));
}

/** Encrypts a customer's contact columns for storage and adds the e-mail's keyed hash. */
export function sealCustomerColumns(cipher: FieldCipher, id: string, v: CustomerPersonalValues): CustomerPersonalValues & { email_hash: string; pii_version: number } {
  const ref = (column: CustomerPersonalColumn) => ({ table: 'customers', column, rowId: id });
  return {
    email: cipher.encrypt(v.email, ref('email')),
    phone: cipher.encryptOptional(v.phone, ref('phone')),
    address: cipher.encryptOptional(v.address, ref('address')),
    contact_person: cipher.encryptOptional(v.contact_person, ref('contact_person')),
    notes: cipher.encryptOptional(v.notes, ref('notes')),
    email_hash: customerEmailHash(cipher, v.email),
    pii_version: CUSTOMER_PII_VERSION,
  };
}

/** Decrypts a stored customer's contact columns (rows not yet migrated are returned as stored). */
export function openCustomerColumns(cipher: FieldCipher, row: CustomerPersonalValues & { id: string; pii_version?: number }): CustomerPersonalValues {
  if (!row.pii_version) return { email: row.email, phone: row.phone, address: row.address, contact_person: row.contact_person, notes: row.notes };
  const ref = (column: CustomerPersonalColumn) => ({ table: 'customers', column, rowId: row.id });
  return {
    email: cipher.decrypt(row.email, ref('email')),
    phone: cipher.decryptOptional(row.phone, ref('phone')),
    address: cipher.decryptOptional(row.address, ref('address')),
    contact_person: cipher.decryptOptional(row.contact_person, ref('contact_person')),
    notes: cipher.decryptOptional(row.notes, ref('notes')),
  };
}
