import type { Campaign } from '../../../common/schemas/campaign';
import type { Creative } from '../../../common/schemas/creative';
import type { RequestKind, RequestStatus } from '../../../common/schemas/requests';
import type { Site } from '../../../common/schemas/site';
import type { StatsPoint } from '../../../common/schemas/stats';
import type { Zone } from '../../../common/schemas/zone';

/** GET /portal-api/me: the signed-in customer user. */
export interface PortalMe {
  id: string;
  email: string;
  customerId: string;
  customerName: string;
  totpEnabled: boolean;
  recoveryCodesLeft: number;
}

/** POST /portal-api/invitations/check. */
export interface InvitationInfo {
  customerName: string;
  email: string;
  expiresAt: string;
}

/** GET /portal-api/overview. */
export interface PortalOverview {
  customer: { id: string; name: string };
  activeCampaigns: number;
  last7Days: { points: StatsPoint[]; totals: { served: number; impressions: number; clicks: number; ctr: number | null } };
}

/** GET /portal-api/campaigns/:id: the campaign with its creatives and zones. */
export interface PortalCampaignDetail extends Campaign {
  creatives?: Creative[];
  zones?: Array<Zone & { siteName?: string }>;
}

/** An item of GET /portal-api/creatives. */
export interface PortalCreative extends Creative {
  campaignName?: string;
}

/** A zone with the ad tags a publisher copies. */
export interface PortalZone extends Zone {
  tags?: { js?: string; iframe?: string };
  jsTag?: string;
  iframeTag?: string;
}

/** An item of GET /portal-api/sites (with zones) or GET /portal-api/sites/:id. */
export interface PortalSite extends Site {
  zones?: PortalZone[];
}

/** GET /portal-api/account: the customer's contact data and lifecycle state. */
export interface PortalAccount {
  id?: string;
  name: string;
  email: string;
  phone: string | null;
  address: string | null;
  contactPerson: string | null;
  kind?: string;
  status?: 'active' | 'restricted';
  restrictedAt?: string | null;
}

/** The customer side of a forwarded request. */
export const CUSTOMER_REQUEST_STATUSES = ['in_progress', 'done'] as const;
export type CustomerRequestStatus = (typeof CUSTOMER_REQUEST_STATUSES)[number];

/** An item of GET /portal-api/requests. */
export interface PortalRequestItem {
  id: string;
  kind: RequestKind;
  status: RequestStatus;
  customerStatus?: CustomerRequestStatus | null;
  receivedAt: string;
  dueAt: string;
  forwardedAt: string | null;
  replyCount?: number;
}

/** GET /portal-api/requests/:id: with the data subject's name, e-mail and message. */
export interface PortalRequestDetail extends PortalRequestItem {
  name: string | null;
  email: string | null;
  message: string | null;
}

/** A reply to a forwarded request. */
export interface PortalReply {
  id: string;
  authorKind: 'customer' | 'staff';
  message: string;
  createdAt: string;
}

/** POST /portal-api/me/totp. */
export interface PortalTotpEnrolment {
  secret: string;
  otpauthUri: string;
}

/** The list inside an answer: the array itself, or the array under `items` or the given key. */
export function listOf<T>(answer: unknown, key?: string): T[] {
  if (Array.isArray(answer)) return answer as T[];
  if (answer && typeof answer === 'object') {
    const o = answer as Record<string, unknown>;
    for (const k of [key, 'items'].filter(Boolean) as string[]) if (Array.isArray(o[k])) return o[k] as T[];
  }
  return [];
}
