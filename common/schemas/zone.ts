import { z } from 'zod';
import { keyed } from './checks';
import { idSchema } from './ids';

/** Width or height of a placement or creative, in CSS pixels. */
export const pixelSchema = z.number().int('Sizes are whole pixels.').min(1, 'Sizes are at least 1 px.').max(4000, 'Sizes are at most 4000 px.');

const nameSchema = z.string().trim().min(1, 'A name is required.').max(200, 'Names are at most 200 characters.');

/** POST /api/zones. */
export const zoneCreateSchema = z.strictObject({ siteId: idSchema('site'), name: nameSchema, width: pixelSchema, height: pixelSchema });
export type ZoneCreate = z.infer<typeof zoneCreateSchema>;

/** PATCH /api/zones/:id — the site cannot change. */
export const zonePatchSchema = z
  .strictObject({ name: nameSchema.optional(), width: pixelSchema.optional(), height: pixelSchema.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), keyed('atLeastOne', 'Send at least one field to change.'));
export type ZonePatch = z.infer<typeof zonePatchSchema>;

/** A placement of a fixed size on a site or app. */
export interface Zone {
  id: string;
  siteId: string;
  name: string;
  width: number;
  height: number;
  /** Ads were served here: the size can no longer change (creatives were booked for it). */
  sizeLocked: boolean;
  /** When it was archived (it then serves nothing); null while in use. */
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
