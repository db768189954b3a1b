import { z } from 'zod';
import type { ErrorCode, ErrorParams } from '../error-codes';
import { idSchema } from './ids';

/** `?archived=` of the catalogue lists: archived things are left out unless asked for. */
export const ARCHIVED_FILTERS = ['exclude', 'include', 'only'] as const;
export type ArchivedFilter = (typeof ARCHIVED_FILTERS)[number];
export const archivedFilterSchema = z.enum(ARCHIVED_FILTERS).default('exclude');

/** POST /api/campaigns/:id/duplicate — the copy's name; without one, the original's with " (copy)". */
export const campaignDuplicateSchema = z.strictObject({
  name: z.string().trim().min(1, 'A name is required.').max(200, 'Names are at most 200 characters.').optional(),
});
export type CampaignDuplicate = z.infer<typeof campaignDuplicateSchema>;

export const BULK_ACTIONS = ['pause', 'resume', 'archive'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const BULK_MAX_IDS = 200;

/** POST /api/campaigns/bulk. */
export const campaignBulkSchema = z.strictObject({
  action: z.enum(BULK_ACTIONS),
  ids: z
    .array(idSchema('campaign'))
    .min(1, 'Choose at least one campaign.')
    .max(BULK_MAX_IDS, `At most ${BULK_MAX_IDS} campaigns at once.`)
    .transform((ids) => [...new Set(ids)]),
});
export type CampaignBulk = z.infer<typeof campaignBulkSchema>;

/** One campaign's outcome of a bulk action: its new status, or the error it would have answered alone. */
export type BulkOutcome =
  | { id: string; ok: true; status: string }
  | { id: string; ok: false; error: { code: ErrorCode; message: string; params?: ErrorParams } };

/** Answer of POST /api/campaigns/bulk (200 even when some failed: each id says how it went). */
export interface BulkResult {
  action: BulkAction;
  results: BulkOutcome[];
  succeeded: number;
  failed: number;
}
