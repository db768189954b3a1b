import { z } from 'zod';
import { keyed, matches } from './checks';
import { idSchema as entityIdSchema } from './ids';

/** Kinds of contact and data-subject requests (GDPR Art. 15–21 plus plain contact). */
export const REQUEST_KINDS = ['contact', 'access', 'rectification', 'erasure', 'restriction', 'portability', 'objection'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Handling states; `closed` is final and triggers deletion (or restriction) of the personal data. */
export const REQUEST_STATUSES = ['open', 'in_progress', 'forwarded', 'answered', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** What is left of a request's personal data: all of it, kept but restricted (retention), or none. */
export const PERSONAL_DATA_STATES = ['present', 'restricted', 'erased'] as const;
export type PersonalDataState = (typeof PERSONAL_DATA_STATES)[number];

/** Largest accepted body of POST /v1/contact. */
export const CONTACT_BODY_LIMIT = 8 * 1024;

const customerIdSchema = entityIdSchema('customer');
/** Request ids: `req_` and 16 lower-case base32 characters. */
export const requestIdSchema = z.string().refine(...matches(/^req_[a-z2-7]{16}$/, 'requestId', 'Expected a request id like req_… .'));
const emailSchema = z.string().trim().max(254).pipe(z.email('Enter a valid e-mail address.'));

/** Body of the public contact form (POST /v1/contact). */
export const contactSubmissionSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter your name.').max(200),
    email: emailSchema,
    message: z.string().trim().min(1, 'Enter a message.').max(5000),
    customerId: customerIdSchema.optional(),
    kind: z.enum(REQUEST_KINDS).optional(),
  })
  .strict();
export type ContactSubmission = z.infer<typeof contactSubmissionSchema>;

/** Query of GET /api/requests. */
export const requestListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  status: z.enum(REQUEST_STATUSES).optional(),
  kind: z.enum(REQUEST_KINDS).optional(),
  /** Only requests due before this time (e.g. now → overdue). */
  dueBefore: z.iso.datetime({ offset: true }).optional(),
  /** `due` (soonest deadline first, the default) or `received` (newest first). */
  sort: z.enum(['due', 'received']).default('due'),
});
export type RequestListQuery = z.infer<typeof requestListQuerySchema>;

/** Body of PATCH /api/requests/ID. */
export const requestUpdateSchema = z
  .object({
    status: z.enum(REQUEST_STATUSES).optional(),
    kind: z.enum(REQUEST_KINDS).optional(),
    reply: z.string().trim().max(20_000).optional(),
    note: z.string().trim().max(5000).optional(),
    customerId: customerIdSchema.nullable().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, keyed('atLeastOne', 'Send at least one field to change.'));
export type RequestUpdate = z.infer<typeof requestUpdateSchema>;

/** Body of POST /api/requests/ID/forward. */
export const requestForwardSchema = z.object({ customerId: customerIdSchema }).strict();

/** Query of GET /api/requests/export (a data subject's requests, found by keyed hash of the e-mail). */
export const requestExportQuerySchema = z.object({ email: emailSchema });

/** One request as the console sees it; personal fields are null once restricted or erased. */
export interface DataRequest {
  id: string;
  kind: RequestKind;
  status: RequestStatus;
  customerId: string | null;
  name: string | null;
  email: string | null;
  message: string | null;
  reply: string | null;
  note: string | null;
  personalData: PersonalDataState;
  receivedAt: string;
  /** Statutory deadline: one month after receipt (Art. 12(3) GDPR). */
  dueAt: string;
  updatedAt: string;
  forwardedTo: string | null;
  forwardedAt: string | null;
  closedAt: string | null;
  /** While restricted: when its personal data will be erased. */
  retainUntil: string | null;
  erasedAt: string | null;
  /** The customer's own progress once forwarded (`new` until its portal users set one); null when not forwarded. */
  customerStatus: 'new' | 'in_progress' | 'done' | null;
}

/** Body of POST /portal-api/requests/ID/replies: the customer's answer to a forwarded request. */
export const requestReplySchema = z.strictObject({ message: z.string().trim().min(1, 'Enter a message.').max(20_000, 'A reply is at most 20000 characters.') });

/** One answer to a forwarded request: by the customer's portal user (or by staff). */
export interface RequestReply {
  id: string;
  requestId: string;
  authorKind: 'customer' | 'staff';
  authorId: string;
  message: string;
  createdAt: string;
}

/** Answer of GET /api/requests/ID: the request and the forwarded customer's replies (empty unless its personal data are present). */
export interface DataRequestDetail extends DataRequest {
  customerReplies: RequestReply[];
}

/** Answer of POST /api/requests/ID/forward: the request and how many portal users the notice reached by e-mail. */
export interface ForwardedRequest extends DataRequest {
  notices: { sent: number; failed: number };
}
