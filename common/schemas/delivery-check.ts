/**
 * Wire types of the delivery check (`GET /api/campaigns/:id/delivery-check`, `GET /api/zones/:id/delivery-check`,
 * `GET /api/campaigns/delivery-check`): why a campaign would or would not serve now. Reasons are stable codes with
 * parameters, so the console words them in German or English.
 */

/** Why a campaign will not deliver now, in the order the check asks. */
export const DELIVERY_REASON_CODES = [
  'customer_restricted',
  'not_active',
  'flight_ended',
  'no_zone',
  'zone_site_restricted',
  'zone_archived',
  'no_active_creative_of_zone_size',
  'invalid_settings',
  'flight_not_started',
  'targeting',
  'daily_cap_reached',
  'goal_reached',
  'pacing_ahead',
  'visitor_cap_reached',
  'no_servable_creative',
] as const;
export type DeliveryReasonCode = (typeof DELIVERY_REASON_CODES)[number];

/** Targeting dimensions a campaign may be limited to. */
export const TARGETING_DIMENSIONS = ['keywords', 'devices', 'hours', 'weekdays', 'countries'] as const;
export type TargetingDimension = (typeof TARGETING_DIMENSIONS)[number];

export type DeliveryParam = string | number | boolean | Array<string | number>;

/** One failing rule, with the values that explain it (e.g. `{ done: 120, allowedNow: 80 }` for pacing_ahead). */
export interface DeliveryReason {
  code: DeliveryReasonCode;
  params: Record<string, DeliveryParam>;
}

/**
 * A limit that depends on the request ("serves only to …"); `matchesNow` is set for hours and weekdays,
 * which the check can answer for this moment.
 */
export interface DeliveryCondition {
  which: TargetingDimension;
  values: Array<string | number>;
  matchesNow?: boolean;
}

export type DeliveryStatus = 'delivering' | 'will_not_deliver';

/** The check of one campaign (over all its zones, or one zone for a zone check). */
export interface CampaignDeliveryCheck {
  campaignId: string;
  name: string;
  status: DeliveryStatus;
  /** Every reason found; the first is the one to show in a list. Empty when delivering. */
  reasons: DeliveryReason[];
  conditions: DeliveryCondition[];
  priority: number;
  weight: number;
}

/** Answer of `GET /api/campaigns/delivery-check`: every campaign's check, for the list. */
export interface DeliveryCheckList {
  checkedAt: string;
  /** Hour and weekday targeting are judged in this time zone. */
  timeZone: string;
  items: CampaignDeliveryCheck[];
}

/** Answer of `GET /api/campaigns/:id/delivery-check`. */
export interface CampaignDeliveryCheckAnswer extends CampaignDeliveryCheck {
  checkedAt: string;
  timeZone: string;
}

/** A campaign linked to a zone: its check in that zone and its chance to win the zone now. */
export interface ZoneCampaignCheck extends CampaignDeliveryCheck {
  /** Share of decisions (0–1) it would win now among delivering campaigns of the top priority, request conditions aside. */
  chance: number;
}

/** Answer of `GET /api/zones/:id/delivery-check`. */
export interface ZoneDeliveryCheck {
  checkedAt: string;
  timeZone: string;
  zone: { id: string; name: string; width: number; height: number };
  campaigns: ZoneCampaignCheck[];
  /** Campaigns that would win now (highest priority among delivering ones); empty when nothing delivers. */
  winners: string[];
}
