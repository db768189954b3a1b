import { z } from 'zod';
import { idSchema } from './ids';

/** Placements one page may ask for in one request (GET /v1/decision?zones=…, POST /v1/decisions). */
export const MAX_PAGE_PLACEMENTS = 20;
/** Largest POST /v1/decisions body. */
export const DECISIONS_BODY_LIMIT = 16 * 1024;
/** Campaigns or creatives a page may exclude. */
export const MAX_PAGE_EXCLUSIONS = 200;

/**
 * POST /v1/decisions: the placements of one page, in order. Zone ids and keywords are checked by
 * the delivery code itself (the same checks and messages as ?zone= and kw=).
 */
export const decisionsRequestSchema = z.strictObject({
  placements: z
    .array(
      z.strictObject({
        zone: z.string().max(100),
        kw: z.array(z.string().max(100)).max(20, 'Pass at most 20 keywords per placement.').optional(),
      }),
    )
    .min(1, 'Pass at least one placement.')
    .max(MAX_PAGE_PLACEMENTS, `A page has at most ${MAX_PAGE_PLACEMENTS} placements.`),
  exclusions: z
    .strictObject({
      campaigns: z.array(idSchema('campaign')).max(MAX_PAGE_EXCLUSIONS).optional(),
      creatives: z.array(idSchema('creative')).max(MAX_PAGE_EXCLUSIONS).optional(),
    })
    .optional(),
});
export type DecisionsRequest = z.infer<typeof decisionsRequestSchema>;
