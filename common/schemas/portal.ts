import { z } from 'zod';
import type { Campaign } from './campaign';
import type { Creative } from './creative';
import { customerRectifySchema, type CustomerContact, type CustomerKind } from './customer';
import type { CustomerRetention } from './privacy';
import type { PersonalDataState, RequestKind, RequestStatus } from './requests';
import type { Site } from './site';
import type { StatsPoint } from './stats';
import type { Zone } from './zone';

// Wire types of the customer portal's data routes (`/portal-api/…`, common/portal-access.ts).

/** Answer of GET /portal-api/overview: the customer, its running campaigns and the last 7 days (days of the operator time zone). */
export interface PortalOverview {
  customer: { id: string; name: string };
  /** The operator time zone (IANA) the days are counted in; the portal shows dates in it. */
  timeZone: string;
  /** Campaigns with status `active` whose flight includes now. */
  activeCampaigns: number;
  last7Days: { points: StatsPoint[]; totals: { served: number; impressions: number; clicks: number; ctr: number } };
}

/** A zone a campaign runs in, with the site it belongs to (names for the statistics' keys). */
export interface PortalZone extends Pick<Zone, 'id' | 'name' | 'width' | 'height' | 'siteId'> {
  siteName: string;
  siteDomain: string;
}

/** Answer of GET /portal-api/campaigns/ID: the campaign (as staff see it) with its creatives and zones. */
export interface PortalCampaignDetail extends Campaign {
  creatives: PortalCreative[];
  zones: PortalZone[];
}

/** A creative as the portal lists it: the staff shape, its campaign's name and the portal-origin preview URL. */
export interface PortalCreative extends Creative {
  campaignName: string;
  /** `/portal-api/creatives/ID/preview`: the image, or the HTML creative as a sandboxed document. */
  previewUrl: string;
}

/** The ways a publisher embeds a zone (common/zone-tags.ts). */
export interface ZoneTags {
  js: string;
  iframe: string;
  pageScript: string;
  pageIns: string;
}

/** A publisher's site as the portal shows it: with its zones and their ad tags. */
export interface PortalSite extends Site {
  zones: Array<Zone & { tags: ZoneTags }>;
}

/** Answer of GET /portal-api/account: the contact data staff see, and the account's lifecycle state. */
export interface PortalAccount extends CustomerContact {
  id: string;
  name: string;
  kind: CustomerKind;
  retention: CustomerRetention;
}

/** Body of PATCH /portal-api/account (rectification): common/schemas/customer.ts customerRectifySchema. */
export const portalAccountPatchSchema = customerRectifySchema;
export type PortalAccountPatch = z.infer<typeof portalAccountPatchSchema>;

/** Body of POST /portal-api/deletion: the customer confirms the request explicitly. */
export const portalDeletionSchema = z.strictObject({ confirm: z.literal(true, { error: 'Send {"confirm": true} to request deletion.' }) });

/** Answer of POST /portal-api/deletion (202): the account is restricted now and erased after `eraseAfter`. */
export type PortalDeletion = CustomerRetention;

/** The customer's own progress on a forwarded request (`new` until it sets one). */
export const PORTAL_REQUEST_STATUSES = ['new', 'in_progress', 'done'] as const;
export type PortalRequestStatus = (typeof PORTAL_REQUEST_STATUSES)[number];

/** Body of PATCH /portal-api/requests/ID. */
export const portalRequestPatchSchema = z.strictObject({ status: z.enum(['in_progress', 'done'], { error: 'status must be in_progress or done.' }) });

/** Body of POST /portal-api/requests/ID/replies (common/schemas/requests.ts). */
export { requestReplySchema, type RequestReply } from './requests';

/** A request forwarded to the customer, as its inbox lists it (no personal data). */
export interface PortalRequestItem {
  id: string;
  kind: RequestKind;
  /** The customer's progress. */
  status: PortalRequestStatus;
  /** The agency's handling state (`closed` ends answering). */
  agencyStatus: RequestStatus;
  personalData: PersonalDataState;
  receivedAt: string;
  dueAt: string;
  forwardedAt: string;
  replyCount: number;
}

/** GET /portal-api/requests/ID: the item with the data subject's name, e-mail and message (null once restricted or erased). */
export interface PortalRequestDetail extends PortalRequestItem {
  name: string | null;
  email: string | null;
  message: string | null;
}
