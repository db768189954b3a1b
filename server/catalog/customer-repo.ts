import type { Customer, CustomerCreate, CustomerKind, CustomerStatus } from '../../common/schemas/customer';
import type { Page } from '../../common/schemas/paging';
import type { Db } from '../store/database';
import { pagedSelect, searchCondition, type Condition } from './list-sql';

/** The customers table as stored. Contact fields (email, phone, address, contact_person) are personal data. */
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
}

/** The fields a customer is written with (create input, or the merge of the stored customer and a patch). */
export type CustomerFields = CustomerCreate;

/** Row → API object. The one place to decrypt contact fields once they are stored encrypted. */
export function customerFromRow(r: CustomerRow): Customer {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    address: r.address,
    contactPerson: r.contact_person,
    kind: r.kind as CustomerKind,
    notes: r.notes,
    status: r.status as CustomerStatus,
    restrictedAt: r.restricted_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Editable fields → row columns. The one place to encrypt contact fields before they are stored. */
export function customerFieldsToRow(c: CustomerFields): Pick<CustomerRow, 'name' | 'email' | 'phone' | 'address' | 'contact_person' | 'kind' | 'notes'> {
  return { name: c.name, email: c.email, phone: c.phone, address: c.address, contact_person: c.contactPerson, kind: c.kind, notes: c.notes };
}

/** Customers (advertisers and publishers): the only SQL on the customers table. */
export class CustomerRepo {
  constructor(private readonly db: Db) {}

  get(id: string): Customer | null {
    const row = this.db.prepare('SELECT * FROM customers WHERE id = ?').get(id) as CustomerRow | undefined;
    return row ? customerFromRow(row) : null;
  }

  /** Paged list; `q` searches the name and id only (contact fields will be encrypted at rest). */
  list(query: { limit: number; offset: number; q?: string; kind?: CustomerKind; status?: CustomerStatus }): Page<Customer> {
    const conditions: Array<Condition | null> = [
      searchCondition(query.q, ['name', 'id']),
      query.kind ? { sql: 'kind = ?', params: [query.kind] } : null,
      query.status ? { sql: 'status = ?', params: [query.status] } : null,
    ];
    return pagedSelect(this.db, 'customers', conditions, query, customerFromRow);
  }

  /** Whether a customer named `Demo – …` exists (the demo data set's marker). */
  hasNamePrefix(prefix: string): boolean {
    return this.db.prepare("SELECT 1 FROM customers WHERE substr(name, 1, length(?)) = ? LIMIT 1").get(prefix, prefix) !== undefined;
  }

  insert(id: string, fields: CustomerFields, at: string): Customer {
    const row = customerFieldsToRow(fields);
    this.db
      .prepare(
        `INSERT INTO customers (id, name, email, phone, address, contact_person, kind, status, notes, created_at, updated_at)
         VALUES (@id, @name, @email, @phone, @address, @contact_person, @kind, 'active', @notes, @at, @at)`,
      )
      .run({ ...row, id, at });
    return this.get(id)!;
  }

  /** Writes all editable fields (the caller merges the patch into the stored customer). */
  update(id: string, fields: CustomerFields, at: string): Customer | null {
    const row = customerFieldsToRow(fields);
    this.db
      .prepare(
        `UPDATE customers SET name = @name, email = @email, phone = @phone, address = @address, contact_person = @contact_person,
         kind = @kind, notes = @notes, updated_at = @at WHERE id = @id`,
      )
      .run({ ...row, id, at });
    return this.get(id);
  }
}
