import { z } from 'zod';
import { keyed, matches } from './checks';
import { idSchema } from './ids';

export const SITE_KINDS = ['site', 'app'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

/** A web domain (`news.example`) or an app's store id in reverse-domain form (`com.example.app`). */
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, 'Domains are at most 253 characters.')
  .refine(...matches(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, 'domain', 'Enter a domain like news.example (no scheme, path or port).'));

const nameSchema = z.string().trim().min(1, 'A name is required.').max(200, 'Names are at most 200 characters.');
/** Staff's own remarks (contact at the publisher, placement rules); never shown outside the console. */
const notesSchema = z.string().trim().max(2000, 'Notes are at most 2000 characters.');

/** POST /api/sites. */
export const siteCreateSchema = z.strictObject({
  customerId: idSchema('customer'),
  name: nameSchema,
  domain: domainSchema,
  kind: z.enum(SITE_KINDS).default('site'),
  notes: notesSchema.default(''),
});
export type SiteCreate = z.infer<typeof siteCreateSchema>;

/** PATCH /api/sites/:id — the owning customer cannot change. */
export const sitePatchSchema = z
  .strictObject({ name: nameSchema.optional(), domain: domainSchema.optional(), kind: z.enum(SITE_KINDS).optional(), notes: notesSchema.optional() })
  .refine((v) => Object.values(v).some((x) => x !== undefined), keyed('atLeastOne', 'Send at least one field to change.'));
export type SitePatch = z.infer<typeof sitePatchSchema>;

/** A publisher's site or app. */
export interface Site {
  id: string;
  customerId: string;
  name: string;
  domain: string;
  kind: SiteKind;
  notes: string;
  /** When it was archived (its zones then serve nothing); null while in use. */
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}
