// Wire types of the portal's data routes as the portal-data brief defines them (the account routes'
// types are in common/schemas/portal-account.ts). Replaced by common/schemas/portal.ts once it lands.
import type { Campaign } from '../../../common/schemas/campaign';
import type { Creative } from '../../../common/schemas/creative';
import type { CustomerContact, CustomerKind } from '../../../common/schemas/customer';
import type { CustomerRetention } from '../../../common/schemas/privacy';
import type { PersonalDataState, RequestKind, RequestStatus } from '../../../common/schemas/requests';
import type { Site } from '../../../common/schemas/site';
import type { StatsPoint } from '../../../common/schemas/stats';
import type { Zone } from '../../../common/schemas/zone';

/** GET /portal-api/overview. */
export interface PortalOverview {
  customer: { id: string; name: string };
  activeCampaigns: number;
  last7Days: { points: StatsPoint[]; totals: { served: number; impressions: number; clicks: number; ctr: number } };
}

/** A zone a campaign runs in, with its site's name. */
export interface PortalZone extends Pick<Zone, 'id' | 'name' | 'width' | 'height' | 'siteId'> {
  siteName: string;
  siteDomain: string;
}

/** A creative as the portal lists it, with its campaign's name and the preview URL. */
export interface PortalCreative extends Creative {
  campaignName: string;
  previewUrl: string;
}

/** GET /portal-api/campaigns/:id: the campaign with its creatives and zones. */
export interface PortalCampaignDetail extends Campaign {
  creatives: PortalCreative[];
  zones: PortalZone[];
}

/** A zone's ad tags to copy. */
export interface ZoneTags {
  js: string;
  iframe: string;
}

/** GET /portal-api/sites(/:id): a site with its zones and their ad tags. */
export interface PortalSite extends Site {
  zones: Array<Zone & { tags: ZoneTags }>;
}

/** GET /portal-api/account: the customer's contact data and lifecycle state. */
export interface PortalAccount extends CustomerContact {
  id: string;
  name: string;
  kind: CustomerKind;
  retention: CustomerRetention;
}

/** The customer's own progress on a forwarded request (`new` until it sets one). */
export const PORTAL_REQUEST_STATUSES = ['new', 'in_progress', 'done'] as const;
export type PortalRequestStatus = (typeof PORTAL_REQUEST_STATUSES)[number];

/** An item of GET /portal-api/requests (no personal data). */
export interface PortalRequestItem {
  id: string;
  kind: RequestKind;
  status: PortalRequestStatus;
  agencyStatus: RequestStatus;
  personalData: PersonalDataState;
  receivedAt: string;
  dueAt: string;
  forwardedAt: string;
  replyCount: number;
}

/** GET /portal-api/requests/:id: with the data subject's name, e-mail and message. */
export interface PortalRequestDetail extends PortalRequestItem {
  name: string | null;
  email: string | null;
  message: string | null;
}

/** One answer to a forwarded request. */
export interface RequestReply {
  id: string;
  requestId: string;
  authorKind: 'customer' | 'staff';
  authorId: string;
  message: string;
  createdAt: string;
}
