import { z } from 'zod';
import { keyed, matches } from './checks';
import { idSchema } from './ids';
import { goalSchema, pacingSchema, priceSchema, type CampaignPrice, type Goal, type Pacing } from './pricing';
import { targetingSchema, type Targeting } from './targeting';

export const CAMPAIGN_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** An ISO 8601 time with offset, normalised to UTC (`…Z`). */
export const isoTimeSchema = z.iso.datetime({ offset: true, message: 'Enter a time like 2025-01-31T00:00:00Z.' }).transform((v) => new Date(v).toISOString());

const nameSchema = z.string().trim().min(1, 'A name is required.').max(200, 'Names are at most 200 characters.');
const zoneIdsSchema = z
  .array(idSchema('zone'))
  .max(500, 'A campaign runs in at most 500 zones.')
  .transform((ids) => [...new Set(ids)]);
/** Competitive separation ("cars"): campaigns of one group never appear together on a page; null = none. */
export const exclusivityGroupSchema = z
  .string()
  .trim()
  .min(1, 'Enter a group name, or null for none.')
  .max(40, 'Exclusivity groups are at most 40 characters.')
  .refine(...matches(/^[\p{L}\p{N} _-]+$/u, 'exclusivityGroup', 'Use letters, digits, spaces, - and _ in the exclusivity group.'))
  .nullable();
const countSchema = z.number().int('Use a whole number.').min(1, 'Use at least 1, or null for none.').max(1e12).nullable();

const fields = {
  name: nameSchema,
  startsAt: isoTimeSchema,
  endsAt: isoTimeSchema,
  zoneIds: zoneIdsSchema,
  status: z.enum(CAMPAIGN_STATUSES),
  /** Compatibility: the count of an impressions goal (same as goal {kind: 'impressions', count}). */
  impressionGoal: countSchema,
  goal: goalSchema,
  pacing: pacingSchema,
  dailyCap: countSchema,
  priority: z.number().int().min(1, 'Priority is 1 to 10.').max(10, 'Priority is 1 to 10.'),
  weight: z.number().int().min(1, 'Weight is 1 to 100.').max(100, 'Weight is 1 to 100.'),
  targeting: targetingSchema,
  exclusivityGroup: exclusivityGroupSchema,
  visitorDailyCap: z.number().int('Use a whole number.').min(1, 'Use at least 1, or null for none.').max(1000, 'A visitor cap is at most 1000 a day.').nullable(),
};
const flightOrder = { ...keyed('endsAfterStart', 'endsAt must be after startsAt.'), path: ['endsAt'] };
const oneGoal = { ...keyed('oneGoal', 'Send goal or impressionGoal, not both.'), path: ['impressionGoal'] };
const bothGoals = (c: { goal?: unknown; impressionGoal?: unknown }) => c.goal === undefined || c.impressionGoal === undefined;

/** The goal a create or patch sets: `goal` as sent, or `impressionGoal` as an impressions goal; undefined when neither is sent. */
export function goalOf(c: { goal?: Goal; impressionGoal?: number | null }): Goal | undefined {
  if (c.goal !== undefined) return c.goal;
  if (c.impressionGoal === undefined) return undefined;
  return c.impressionGoal === null ? null : { kind: 'impressions', count: c.impressionGoal };
}

/** POST /api/campaigns. */
export const campaignCreateSchema = z
  .strictObject({
    customerId: idSchema('customer'),
    ...fields,
    zoneIds: fields.zoneIds.default([]),
    status: fields.status.default('active'),
    impressionGoal: fields.impressionGoal.optional(),
    goal: fields.goal.optional(),
    pacing: fields.pacing.default('even'),
    /** The first price, effective from startsAt; it covers the flight until a change. */
    price: priceSchema.optional(),
    dailyCap: fields.dailyCap.default(null),
    priority: fields.priority.default(5),
    weight: fields.weight.default(1),
    targeting: fields.targeting.default({}),
    exclusivityGroup: fields.exclusivityGroup.default(null),
    visitorDailyCap: fields.visitorDailyCap.default(null),
  })
  .refine((c) => c.endsAt > c.startsAt, flightOrder)
  .refine(bothGoals, oneGoal);
export type CampaignCreate = z.infer<typeof campaignCreateSchema>;

/** PATCH /api/campaigns/:id — any subset; `zoneIds` replaces the whole set; the customer cannot change. */
export const campaignPatchSchema = z
  .strictObject({
    name: fields.name.optional(),
    startsAt: fields.startsAt.optional(),
    endsAt: fields.endsAt.optional(),
    zoneIds: fields.zoneIds.optional(),
    status: fields.status.optional(),
    impressionGoal: fields.impressionGoal.optional(),
    goal: fields.goal.optional(),
    pacing: fields.pacing.optional(),
    dailyCap: fields.dailyCap.optional(),
    priority: fields.priority.optional(),
    weight: fields.weight.optional(),
    targeting: fields.targeting.optional(),
    exclusivityGroup: fields.exclusivityGroup.optional(),
    visitorDailyCap: fields.visitorDailyCap.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), keyed('atLeastOne', 'Send at least one field to change.'))
  .refine((c) => !c.startsAt || !c.endsAt || c.endsAt > c.startsAt, flightOrder)
  .refine(bothGoals, oneGoal);
export type CampaignPatch = z.infer<typeof campaignPatchSchema>;

/** A campaign as the API returns it. */
export interface Campaign {
  id: string;
  customerId: string;
  name: string;
  status: CampaignStatus;
  startsAt: string;
  endsAt: string;
  zoneIds: string[];
  /** The goal's count when its kind is impressions, else null (kept for older clients; read `goal`). */
  impressionGoal: number | null;
  goal: Goal;
  pacing: Pacing;
  /** The price in effect now; null when none was ever set. */
  price: CampaignPrice | null;
  dailyCap: number | null;
  priority: number;
  weight: number;
  targeting: Targeting;
  /** Competitive separation: never beside another campaign of the same group on one page; null = none. */
  exclusivityGroup: string | null;
  /**
   * At most this many served decisions per visitor and UTC day; null = no cap. Visitors are told
   * apart by a keyed hash whose key is replaced daily (no cookie, nothing stored).
   */
  visitorDailyCap: number | null;
  createdAt: string;
  updatedAt: string;
}
