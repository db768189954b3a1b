import { z } from 'zod';
import { keyed } from './checks';
import { HTML_CREATIVE_MAX_BYTES, utf8Length } from './creative-html';
import { idSchema } from './ids';
import { landingUrlSchema } from './landing-url';
import { pixelSchema } from './zone';

export const CREATIVE_STATUSES = ['active', 'paused'] as const;
export type CreativeStatus = (typeof CREATIVE_STATUSES)[number];

const altSchema = z.string().trim().min(1, 'Describe the ad in alt (shown to screen readers and when images are off).').max(300, 'alt is at most 300 characters.');
const htmlSchema = z
  .string()
  .min(1, 'html is empty.')
  .refine((h) => utf8Length(h) <= HTML_CREATIVE_MAX_BYTES, keyed('htmlSize', `HTML creatives are at most ${HTML_CREATIVE_MAX_BYTES / 1024} KiB.`, { maxKiB: HTML_CREATIVE_MAX_BYTES / 1024 }));

/** POST /api/creatives: exactly one of imageUrl (a first-party asset URL), assetId or html. */
export const creativeCreateSchema = z
  .strictObject({
    campaignId: idSchema('campaign'),
    name: z.string().trim().max(200, 'Names are at most 200 characters.').default(''),
    width: pixelSchema,
    height: pixelSchema,
    imageUrl: z.string().trim().max(2048).optional(),
    assetId: idSchema('asset').optional(),
    html: htmlSchema.optional(),
    landingUrl: landingUrlSchema,
    alt: altSchema,
    status: z.enum(CREATIVE_STATUSES).default('active'),
  })
  .refine((c) => [c.imageUrl, c.assetId, c.html].filter((x) => x !== undefined).length === 1, {
    ...keyed('oneContent', 'Give exactly one of imageUrl, assetId or html.'),
    path: ['assetId'],
  });
export type CreativeCreate = z.infer<typeof creativeCreateSchema>;

/**
 * PATCH /api/creatives/:id — what may change after review; the size stays. `assetId` replaces an
 * image creative's image with an uploaded one of the same size.
 */
export const creativePatchSchema = z
  .strictObject({
    name: z.string().trim().max(200).optional(),
    status: z.enum(CREATIVE_STATUSES).optional(),
    alt: altSchema.optional(),
    landingUrl: landingUrlSchema.optional(),
    assetId: idSchema('asset').optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), keyed('atLeastOne', 'Send at least one field to change.'));
export type CreativePatch = z.infer<typeof creativePatchSchema>;

/** A creative as the API returns it; `imageUrl` is the delivery URL of its asset. */
export interface Creative {
  id: string;
  campaignId: string;
  name: string;
  width: number;
  height: number;
  assetId: string | null;
  imageUrl: string | null;
  html: string | null;
  landingUrl: string;
  alt: string;
  status: CreativeStatus;
  /** When it was archived (it then serves nothing); null while in use. */
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
