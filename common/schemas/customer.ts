import { z } from 'zod';
import { keyed } from './checks';

export const CUSTOMER_KINDS = ['advertiser', 'publisher', 'both'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];
/** `restricted` is set by a deletion request (locked, no delivery); it is read-only in create/patch. */
export const CUSTOMER_STATUSES = ['active', 'restricted'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

const text = (max: number, label: string) => z.string().trim().max(max, `${label} is at most ${max} characters.`);
const optionalText = (max: number, label: string) =>
  text(max, label)
    .nullish()
    .transform((v) => (v ? v : null));

const fields = {
  name: text(200, 'The name').min(1, 'A name is required.'),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email('Enter a valid e-mail address.')),
  phone: optionalText(50, 'The phone number'),
  address: optionalText(500, 'The address'),
  contactPerson: optionalText(200, 'The contact person'),
  kind: z.enum(CUSTOMER_KINDS),
  notes: optionalText(2000, 'Notes'),
};

/** POST /api/customers. */
export const customerCreateSchema = z.strictObject({ ...fields, kind: fields.kind.default('advertiser') });
export type CustomerCreate = z.infer<typeof customerCreateSchema>;

const patchFields = {
  name: fields.name.optional(),
  email: fields.email.optional(),
  phone: fields.phone.optional(),
  address: fields.address.optional(),
  contactPerson: fields.contactPerson.optional(),
  kind: fields.kind.optional(),
  notes: fields.notes.optional(),
};
const atLeastOne = (v: object) => Object.values(v).some((x) => x !== undefined);

/** PATCH /api/customers/:id — any subset; `null` clears an optional field. */
export const customerPatchSchema = z.strictObject(patchFields).refine(atLeastOne, keyed('atLeastOne', 'Send at least one field to change.'));
/**
 * PATCH /portal-api/account — the customer's own rectification: the same rules, limited to what it
 * states about itself (name and contact data); the kind and the agency's notes stay with staff.
 */
export const customerRectifySchema = z
  .strictObject({ name: patchFields.name, email: patchFields.email, phone: patchFields.phone, address: patchFields.address, contactPerson: patchFields.contactPerson })
  .refine(atLeastOne, keyed('atLeastOne', 'Send at least one field to change.'));
export type CustomerPatch = z.infer<typeof customerPatchSchema>;

/**
 * A customer's fields fall in two groups (least privilege, DESIGN.md rule 9):
 * - contact fields: personal data about the people behind the account — how to reach them
 *   (e-mail, phone, address), who they are (contact person) and free-text notes, which may name
 *   them. Stored encrypted; only roles with `readCustomerContact` (common/access.ts) receive them,
 *   and the server does not even decrypt them for anyone else.
 * - business fields: the company's name, kind, account status and dates — what campaign,
 *   statistics and case work needs; every signed-in role sees them.
 */
export const CUSTOMER_CONTACT_FIELDS = ['email', 'phone', 'address', 'contactPerson', 'notes'] as const;

/** A customer's business fields. */
export interface CustomerBusiness {
  id: string;
  name: string;
  kind: CustomerKind;
  status: CustomerStatus;
  restrictedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A customer's contact fields (CUSTOMER_CONTACT_FIELDS). */
export interface CustomerContact {
  email: string;
  phone: string | null;
  address: string | null;
  contactPerson: string | null;
  notes: string | null;
}

/** A customer (advertiser and/or publisher) with every field, as its editors and its export see it. */
export interface Customer extends CustomerBusiness, CustomerContact {}

/** A customer as GET /api/customers(/ID) answers: the contact fields are absent for roles that may not read them. */
export type CustomerView = CustomerBusiness & Partial<CustomerContact>;
