import type { Db } from '../store/database';
import { CUSTOMER_PII_VERSION, customerEmailHash, openCustomerColumns, sealCustomerColumns, type CustomerPersonalValues } from './customer-fields';
import type { FieldCipher } from './field-cipher';

type StoredCustomer = CustomerPersonalValues & { id: string; name: string; status: string; restricted_at: string | null; pii_version: number };

/** A restricted customer and the record dates that decide when it is erased. */
export interface RestrictedCustomer {
  id: string;
  restrictedAt: string;
  lastContractAt: string | null;
  lastInvoiceAt: string | null;
}

/** Customer state the privacy lifecycle needs: contact look-ups, restriction, record dates, legacy encryption. */
export class CustomerPrivacyRepo {
  /** `cipher` may be null for work that needs no key (restriction state, retention). */
  constructor(private readonly db: Db, private readonly fieldCipher: FieldCipher | null) {}

  private get cipher(): FieldCipher {
    if (!this.fieldCipher) throw new Error('The data key is not loaded.');
    return this.fieldCipher;
  }

  /**
   * Encrypts the contact columns of rows written before encryption at rest existed (pii_version 0).
   * Runs at start in one transaction; returns how many rows it converted.
   */
  encryptLegacyRows(): number {
    const rows = this.db.prepare('SELECT * FROM customers WHERE pii_version = 0').all() as StoredCustomer[];
    const update = this.db.prepare(
      `UPDATE customers SET email = @email, phone = @phone, address = @address, contact_person = @contact_person, notes = @notes,
         email_hash = @email_hash, pii_version = @pii_version WHERE id = @id AND pii_version = 0`,
    );
    this.db.transaction(() => {
      for (const row of rows) update.run({ id: row.id, ...sealCustomerColumns(this.cipher, row.id, row) });
    })();
    return rows.length;
  }

  exists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM customers WHERE id = ?').get(id) !== undefined;
  }

  /** Name and status of a customer (no key needed), or null when there is none (never created, or erased). */
  nameAndStatus(id: string): { name: string; status: 'active' | 'restricted' } | null {
    return (this.db.prepare('SELECT name, status FROM customers WHERE id = ?').get(id) as { name: string; status: 'active' | 'restricted' } | undefined) ?? null;
  }

  /** Name, decrypted contact e-mail and status of a customer, or null. */
  contact(id: string): { name: string; email: string; status: string } | null {
    const row = this.db.prepare('SELECT * FROM customers WHERE id = ?').get(id) as StoredCustomer | undefined;
    if (!row) return null;
    return { name: row.name, email: openCustomerColumns(this.cipher, row).email, status: row.status };
  }

  /** Ids of customers whose contact e-mail is this address (keyed-hash lookup). */
  idsByEmail(email: string): string[] {
    return this.db.prepare('SELECT id FROM customers WHERE email_hash = ? AND pii_version = ? ORDER BY id').pluck().all(customerEmailHash(this.cipher, email), CUSTOMER_PII_VERSION) as string[];
  }

  /** Status, restriction time and record dates of a customer, or null. */
  retentionState(id: string): { status: 'active' | 'restricted'; restrictedAt: string | null; lastContractAt: string | null; lastInvoiceAt: string | null } | null {
    const row = this.db
      .prepare(
        `SELECT c.status, c.restricted_at, r.last_contract_at, r.last_invoice_at
         FROM customers c LEFT JOIN customer_records r ON r.customer_id = c.id WHERE c.id = ?`,
      )
      .get(id) as { status: 'active' | 'restricted'; restricted_at: string | null; last_contract_at: string | null; last_invoice_at: string | null } | undefined;
    return row ? { status: row.status, restrictedAt: row.restricted_at, lastContractAt: row.last_contract_at, lastInvoiceAt: row.last_invoice_at } : null;
  }

  /** Sets the record dates (undefined keeps a date, null clears it). */
  setRecords(id: string, dates: { lastContractAt?: string | null; lastInvoiceAt?: string | null }, now: Date): void {
    const current = this.retentionState(id);
    const iso = (v: string | null | undefined, old: string | null) => (v === undefined ? old : v === null ? null : new Date(v).toISOString());
    this.db
      .prepare(
        `INSERT INTO customer_records (customer_id, last_contract_at, last_invoice_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(customer_id) DO UPDATE SET last_contract_at = excluded.last_contract_at, last_invoice_at = excluded.last_invoice_at, updated_at = excluded.updated_at`,
      )
      .run(id, iso(dates.lastContractAt, current?.lastContractAt ?? null), iso(dates.lastInvoiceAt, current?.lastInvoiceAt ?? null), now.toISOString());
  }

  /** Restricts an active customer (locked, no delivery); false when it was already restricted. */
  restrict(id: string, now: Date): boolean {
    const at = now.toISOString();
    return this.db.prepare("UPDATE customers SET status = 'restricted', restricted_at = ?, updated_at = ? WHERE id = ? AND status = 'active'").run(at, at, id).changes === 1;
  }

  /** Every restricted customer with its record dates. */
  restricted(): RestrictedCustomer[] {
    const rows = this.db
      .prepare(
        `SELECT c.id, c.restricted_at, r.last_contract_at, r.last_invoice_at
         FROM customers c LEFT JOIN customer_records r ON r.customer_id = c.id WHERE c.status = 'restricted' ORDER BY c.restricted_at`,
      )
      .all() as Array<{ id: string; restricted_at: string | null; last_contract_at: string | null; last_invoice_at: string | null }>;
    // A restricted row without a time (set by hand) counts as restricted since the epoch: erased at the next run.
    return rows.map((r) => ({ id: r.id, restrictedAt: r.restricted_at ?? new Date(0).toISOString(), lastContractAt: r.last_contract_at, lastInvoiceAt: r.last_invoice_at }));
  }
}
