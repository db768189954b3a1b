import { z } from 'zod';
import { keyed, matches } from './checks';
import { parseCidr } from '../cidr';

/** Longest window a case may unseal. */
export const MAX_CASE_WINDOW_DAYS = 31;
/** Largest re-wrapped share accepted (an age file holding a 33-byte share is about 250 bytes). */
export const MAX_WRAPPED_SHARE_BASE64 = 4096;

export const CASE_STATUSES = ['awaiting_approval', 'unsealing', 'ready', 'closed', 'expired'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

const idSchema = z.string().trim().refine(...matches(/^[A-Za-z0-9_-]{1,100}$/, 'id', 'Expected an id (letters, digits, _ or -).'));
const isoSchema = z.iso.datetime({ offset: true, message: 'Expected an ISO 8601 time, e.g. 2025-01-31T12:00:00Z.' });
const base64Schema = z
  .string()
  .max(MAX_WRAPPED_SHARE_BASE64, 'The share is too large.')
  .refine(...matches(/^[A-Za-z0-9+/]+={0,2}$/, 'base64', 'Expected base64.'));

export const ipPrefixSchema = z
  .string()
  .trim()
  .max(60)
  .refine((v) => parseCidr(v) !== null, keyed('ipPrefix', 'Expected an IP address or prefix like 203.0.113.0/24 or 2001:db8::/32.'));
export const pathPrefixSchema = z
  .string()
  .max(500)
  .refine(...matches(/^\/[^\s?#]*$/, 'logPath', 'Expected a path starting with / (no query string).'));

export const caseFiltersSchema = z
  .object({
    zoneId: idSchema.optional(),
    siteId: idSchema.optional(),
    customerId: idSchema.optional(),
    ipPrefix: ipPrefixSchema.optional(),
    path: pathPrefixSchema.optional(),
  })
  .strict();
export type CaseFilters = z.infer<typeof caseFiltersSchema>;

/** POST /api/cases; the server also checks `to` against its clock. */
export const caseCreateSchema = z
  .object({
    reason: z.string().trim().min(20, 'Describe the suspicion in at least 20 characters.').max(2000),
    from: isoSchema,
    to: isoSchema,
    filters: caseFiltersSchema.default({}),
    affectedCustomerId: idSchema.optional(),
  })
  .strict()
  .refine((c) => Date.parse(c.to) > Date.parse(c.from), { path: ['to'], ...keyed('toAfterFrom', '`to` must be after `from`.') })
  .refine((c) => Date.parse(c.to) - Date.parse(c.from) <= MAX_CASE_WINDOW_DAYS * 86_400_000, {
    path: ['to'],
    ...keyed('rangeTooLong', `The window may span at most ${MAX_CASE_WINDOW_DAYS} days.`, { maxDays: MAX_CASE_WINDOW_DAYS }),
  });
export type CaseCreateInput = z.infer<typeof caseCreateSchema>;

export const customerInvolvementSchema = z.object({ note: z.string().trim().min(5).max(2000) }).strict();

/** POST /api/cases/:id/approvals: this approver's share of one key, re-wrapped to the case key. */
export const approvalSchema = z.object({ keyId: idSchema, rewrappedShare: base64Schema }).strict();
export type ApprovalInput = z.infer<typeof approvalSchema>;

/** GET /api/cases/:id/records (and /export) query. */
export const caseRecordsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  ip: ipPrefixSchema.optional(),
  path: pathPrefixSchema.optional(),
  status: z.coerce.number().int().min(100).max(599).optional(),
});
export type CaseRecordsQuery = z.infer<typeof caseRecordsQuerySchema>;

export const caseExportQuerySchema = z.object({ format: z.enum(['json', 'csv']).default('json') });

/** One unsealed access record, as served to the case's reviewer and approvers. */
export interface UnsealedRecord {
  t: string;
  ip: string;
  method: string;
  url: string;
  status: number;
  bytes: number;
  referrer: string | null;
  userAgent: string | null;
}

/** Answer of `GET /api/cases/waiting-for-me`: the cases awaiting the signed-in approver's approval. */
export interface CasesWaiting {
  count: number;
  ids: string[];
}

/** A case as GET /api/cases/:id shows it. */

export interface CaseView {
  id: string;
  status: CaseStatus;
  reason: string;
  window: { from: string; to: string };
  filters: CaseFilters;
  affectedCustomerId: string | null;
  createdBy: string;
  /** Who opened the case, by name and e-mail (null when the account is gone), so approvers see it. */
  openedBy: { name: string; email: string } | null;
  createdAt: string;
  expiresAt: string | null;
  approvals: Array<{ userId: string; keyId: string; at: string }>;
  /** Approvals needed per key (k of the key's k-of-n). */
  required: number;
  /** Every ceremony key whose logs overlap the window, with its own quorum. */
  keys: Array<{ keyId: string; threshold: number; approvals: number; shareholders: string[] }>;
  casePublicKey: string | null;
  customerInvolvement: { note: string; by: string; at: string } | null;
  progress: { segmentsDone: number; segmentsTotal: number; records: number } | null;
  resultCount: number | null;
  /** Something the people on the case must know (restart lost the case key, parts sealed to a throwaway key, …). */
  notice: string | null;
}

/** GET /api/cases/:id/shares/mine: this approver's encrypted shares and the case key to re-wrap them to. */
export interface MyShares {
  caseId: string;
  casePublicKey: string;
  shares: Array<{ keyId: string; encryptedShare: string; approved: boolean }>;
}
