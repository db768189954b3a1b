import { z } from 'zod';
import { matches } from './checks';

/** Id prefixes per entity; an id is `<prefix>_` followed by 16 lower-case base32 characters. */
export const ID_PREFIXES = {
  customer: 'cus',
  site: 'sit',
  zone: 'zon',
  campaign: 'cmp',
  creative: 'crv',
  asset: 'ast',
  user: 'usr',
  portalUser: 'pus',
  portalInvitation: 'pin',
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

const ID_PATTERNS = Object.fromEntries(
  Object.entries(ID_PREFIXES).map(([kind, prefix]) => [kind, new RegExp(`^${prefix}_[a-z2-7]{16}$`)]),
) as Record<IdKind, RegExp>;

/** Whether `value` has the shape of an id of this kind (it may still not exist). */
export function isId(kind: IdKind, value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERNS[kind].test(value);
}

/** Zod schema for a reference to an entity of `kind`, with a message naming the expected form. */
export function idSchema(kind: IdKind) {
  return z.string().refine(...matches(ID_PATTERNS[kind], 'id', `Expected a ${kind} id like ${ID_PREFIXES[kind]}_… .`));
}
