import { z } from 'zod';

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

/** PATCH /api/customers/:id — any subset; `null` clears an optional field. */
export const customerPatchSchema = z
  .strictObject({
    name: fields.name.optional(),
    email: fields.email.optional(),
    phone: fields.phone.optional(),
    address: fields.address.optional(),
    contactPerson: fields.contactPerson.optional(),
    kind: fields.kind.optional(),
    notes: fields.notes.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Send at least one field to change.');
export type CustomerPatch = z.infer<typeof customerPatchSchema>;

/** A customer (advertiser and/or publisher) as the API returns it. */
export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  address: string | null;
  contactPerson: string | null;
  kind: CustomerKind;
  notes: string | null;
  status: CustomerStatus;
  restrictedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
