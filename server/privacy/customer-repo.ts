import type { Customer, CustomerBusiness, CustomerCreate, CustomerKind, CustomerStatus, CustomerView } from '../../common/schemas/customer';
import type { Page } from '../../common/schemas/paging';
import { customerEmailHash, openCustomerColumns, sealCustomerColumns } from './customer-fields';
import type { FieldCipher } from './field-cipher';
import type { Db } from '../store/database';
import { pagedSelect, searchCondition, type Condition } from '../store/list-sql';

/**
 * The customers table as stored. Contact fields (email, phone, address, contact_person, notes) are
 * personal data, stored encrypted (server/privacy/customer-fields.ts) when `pii_version` is 1.
 */
export interface CustomerRow {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  address: string | null;
  contact_person: string | null;
  kind: string;
  status: string;
  restricted_at: string | null;
  notes: string | null;
  created_at: string;
  updated_at: string;
  email_hash: string | null;
  pii_version: number;
}

/** The fields a customer is written with (create input, or the merge of the stored customer and a patch). */
export type CustomerFields = CustomerCreate;

/** Row → the business fields only: touches no contact column. */
function businessFromRow(r: CustomerRow): CustomerBusiness {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as CustomerKind,
    status: r.status as CustomerStatus,
    restrictedAt: r.restricted_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Row → API object with every field. The one place that decrypts contact fields. */
export function customerFromRow(r: CustomerRow, cipher: FieldCipher | null): Customer {
  if (r.pii_version && !cipher) throw new Error('The data key is not loaded; encrypted customer data cannot be read.');
  const c = cipher ? openCustomerColumns(cipher, r) : r;
  const { id, name, kind, status, restrictedAt, createdAt, updatedAt } = businessFromRow(r);
  return { id, name, email: c.email, phone: c.phone, address: c.address, contactPerson: c.contact_person, kind, notes: c.notes, status, restrictedAt, createdAt, updatedAt };
}

/** Row → what a reader may see: with contact fields only when `contact` (otherwise they are never decrypted). */
export function customerViewFromRow(r: CustomerRow, cipher: FieldCipher | null, contact: boolean): CustomerView {
  return contact ? customerFromRow(r, cipher) : businessFromRow(r);
}

/**
 * Editable fields → row columns. The one place that encrypts contact fields (bound to the row id).
 * Without a data key (only the `demo` CLI, which opens the store on its own) the row is written
 * in plain text with pii_version 0, and the server encrypts it at its next start.
 */
export function customerFieldsToRow(
  id: string,
  c: CustomerFields,
  cipher: FieldCipher | null,
): Pick<CustomerRow, 'name' | 'email' | 'phone' | 'address' | 'contact_person' | 'kind' | 'notes' | 'email_hash' | 'pii_version'> {
  const plain = { email: c.email, phone: c.phone, address: c.address, contact_person: c.contactPerson, notes: c.notes };
  const personal = cipher ? sealCustomerColumns(cipher, id, plain) : { ...plain, email_hash: null, pii_version: 0 };
  return { name: c.name, kind: c.kind, ...personal };
}

/** Customers (advertisers and publishers): the only SQL on the customers table. */
export class CustomerRepo {
  /** `cipher` is null only where no data key is loaded (the `demo` command): contact fields stay empty there. */
  constructor(
    private readonly db: Db,
    private readonly cipher: FieldCipher | null,
  ) {}

  get(id: string): Customer | null {
    const row = this.row(id);
    return row ? customerFromRow(row, this.cipher) : null;
  }

  /** One customer as a reader sees it: contact fields only when `contact`. */
  view(id: string, contact: boolean): CustomerView | null {
    const row = this.row(id);
    return row ? customerViewFromRow(row, this.cipher, contact) : null;
  }

  /**
   * Paged list; `q` searches the name and id or, for readers of contact data only, finds the exact
   * e-mail through its keyed hash (contact fields are encrypted; for others, an e-mail search
   * must not reveal whose address it is).
   */
  list(query: { limit: number; offset: number; q?: string; kind?: CustomerKind; status?: CustomerStatus }, contact: boolean): Page<CustomerView> {
    const byEmail = contact && query.q && this.cipher && query.q.includes('@') ? { sql: 'email_hash = ?', params: [customerEmailHash(this.cipher, query.q)] } : null;
    const conditions: Array<Condition | null> = [
      byEmail ?? searchCondition(query.q, ['name', 'id']),
      query.kind ? { sql: 'kind = ?', params: [query.kind] } : null,
      query.status ? { sql: 'status = ?', params: [query.status] } : null,
    ];
    return pagedSelect(this.db, 'customers', conditions, query, (r: CustomerRow) => customerViewFromRow(r, this.cipher, contact));
  }

  private row(id: string): CustomerRow | undefined {
    return this.db.prepare('SELECT * FROM customers WHERE id = ?').get(id) as CustomerRow | undefined;
  }

  /** Whether a customer named `Demo – …` exists (the demo data set's marker). */
  hasNamePrefix(prefix: string): boolean {
    return this.db.prepare("SELECT 1 FROM customers WHERE substr(name, 1, length(?)) = ? LIMIT 1").get(prefix, prefix) !== undefined;
  }

  insert(id: string, fields: CustomerFields, at: string): Customer {
    const row = customerFieldsToRow(id, fields, this.cipher);
    this.db
      .prepare(
        `INSERT INTO customers (id, name, email, phone, address, contact_person, kind, status, notes, email_hash, pii_version, created_at, updated_at)
         VALUES (@id, @name, @email, @phone, @address, @contact_person, @kind, 'active', @notes, @email_hash, @pii_version, @at, @at)`,
      )
      .run({ ...row, id, at });
    return this.get(id)!;
  }

  /** Writes all editable fields (the caller merges the patch into the stored customer). */
  update(id: string, fields: CustomerFields, at: string): Customer | null {
    const row = customerFieldsToRow(id, fields, this.cipher);
    this.db
      .prepare(
        `UPDATE customers SET name = @name, email = @email, phone = @phone, address = @address, contact_person = @contact_person,
         kind = @kind, notes = @notes, email_hash = @email_hash, pii_version = @pii_version, updated_at = @at WHERE id = @id`,
      )
      .run({ ...row, id, at });
    return this.get(id);
  }
}
