import type { Campaign, CampaignStatus } from '../../../../common/schemas/campaign';
import type { GoalKind, Pacing, PriceChange, PriceModel } from '../../../../common/schemas/pricing';
import type { DeviceClass } from '../../../../common/schemas/targeting';
import { fromLocalInput, toLocalInput } from '../../composables/datetime-local';

/** The editable form of a campaign's contextual targeting; empty lists mean "any". */
export interface TargetingForm {
  keywords: string;
  devices: Array<Exclude<DeviceClass, 'other'>>;
  hours: number[];
  weekdays: number[];
  /** ISO 3166-1 alpha-2 codes. */
  countries: string[];
}

/** Everything the campaign form edits, in input-friendly shapes (local date-times, text, '' for none). */
export interface CampaignFormState {
  customerId: string;
  name: string;
  status: CampaignStatus;
  startsAt: string;
  endsAt: string;
  goalKind: GoalKind;
  /** '' = no goal. */
  goalCount: number | '';
  pacing: Pacing;
  /** '' = no price (on create) or unchanged (on edit). */
  priceModel: PriceModel | '';
  priceAmount: number | '';
  /** Local date-time a price change applies from; '' = now. */
  priceFrom: string;
  dailyCap: number | '';
  /** Served decisions per visitor and day; '' = no cap. */
  visitorDailyCap: number | '';
  priority: number | '';
  weight: number | '';
  zoneIds: string[];
  targeting: TargetingForm;
  /** '' = none. */
  exclusivityGroup: string;
}

/** The form's starting state: a campaign's values, or a fresh campaign running from now for 30 days. */
export function formStateOf(c: Campaign | null, customerId = ''): CampaignFormState {
  const now = new Date();
  now.setMinutes(0, 0, 0);
  return {
    customerId: c?.customerId ?? customerId,
    name: c?.name ?? '',
    status: c?.status ?? 'active',
    startsAt: toLocalInput(c?.startsAt ?? now.toISOString()),
    endsAt: toLocalInput(c?.endsAt ?? new Date(now.getTime() + 30 * 86_400_000).toISOString()),
    goalKind: c?.goal?.kind ?? 'impressions',
    goalCount: c?.goal?.count ?? '',
    pacing: c?.pacing ?? 'even',
    priceModel: c?.price?.model ?? '',
    priceAmount: c?.price?.amount ?? '',
    priceFrom: '',
    dailyCap: c?.dailyCap ?? '',
    visitorDailyCap: c?.visitorDailyCap ?? '',
    priority: c?.priority ?? 5,
    weight: c?.weight ?? 1,
    zoneIds: [...(c?.zoneIds ?? [])],
    exclusivityGroup: c?.exclusivityGroup ?? '',
    targeting: {
      keywords: (c?.targeting.keywords ?? []).join(', '),
      devices: [...(c?.targeting.devices ?? [])],
      hours: [...(c?.targeting.hours ?? [])],
      weekdays: [...(c?.targeting.weekdays ?? [])],
      countries: [...(c?.targeting.countries ?? [])],
    },
  };
}

const orNull = (v: number | '') => (v === '' ? null : v);
const orUndefined = (v: number | '') => (v === '' ? undefined : v);

/** The API payload for the form (before validation with the shared schema). */
export function payloadOf(s: CampaignFormState, forCreate: boolean): Record<string, unknown> {
  const keywords = s.targeting.keywords
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  const payload: Record<string, unknown> = {
    name: s.name,
    status: s.status,
    startsAt: fromLocalInput(s.startsAt),
    endsAt: fromLocalInput(s.endsAt),
    goal: s.goalCount === '' ? null : { kind: s.goalKind, count: s.goalCount },
    pacing: s.pacing,
    dailyCap: orNull(s.dailyCap),
    visitorDailyCap: orNull(s.visitorDailyCap),
    priority: orUndefined(s.priority),
    weight: orUndefined(s.weight),
    zoneIds: s.zoneIds,
    exclusivityGroup: s.exclusivityGroup.trim() === '' ? null : s.exclusivityGroup,
    targeting: {
      ...(keywords.length ? { keywords } : {}),
      ...(s.targeting.devices.length ? { devices: s.targeting.devices } : {}),
      ...(s.targeting.hours.length ? { hours: [...s.targeting.hours].sort((a, b) => a - b) } : {}),
      ...(s.targeting.weekdays.length ? { weekdays: [...s.targeting.weekdays].sort((a, b) => a - b) } : {}),
      ...(s.targeting.countries.length ? { countries: [...s.targeting.countries].sort() } : {}),
    },
  };
  if (forCreate) {
    payload.customerId = s.customerId;
    if (s.priceModel !== '') payload.price = { model: s.priceModel, amount: s.priceAmount };
  }
  return payload;
}

/** The price change an edit asks for: when model or amount differ from the current price, or a time is given; else null. */
export function priceChangeOf(s: CampaignFormState, c: Campaign): PriceChange | null {
  if (s.priceModel === '' || s.priceAmount === '') return null;
  if (s.priceFrom === '' && c.price && c.price.model === s.priceModel && c.price.amount === s.priceAmount) return null;
  return { model: s.priceModel, amount: s.priceAmount, ...(s.priceFrom ? { effectiveFrom: fromLocalInput(s.priceFrom) } : {}) };
}
