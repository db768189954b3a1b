import { APPROVER_ROLES, TOTP_ENROLMENT_ROUTES, type Role } from './roles';

/**
 * The one role/access table (least privilege). The server enforces it (server/admin/admin-route.ts
 * takes each admin route's rule from ADMIN_ROUTES); the console reads it to show each role only the
 * areas and buttons it may use. Change access here, nowhere else.
 */

/** What a staff member may do, and the roles whose work needs it. */
export const ACTION_ROLES = {
  /** Customers' contact fields (CUSTOMER_CONTACT_FIELDS): account work and data-subject rights. */
  readCustomerContact: ['admin', 'manager', 'dpo'],
  /** Create and change customers, sites, zones, campaigns, creatives and assets. */
  editCatalog: ['admin', 'manager'],
  /** Ask why campaigns would or would not deliver (the roles that work with campaigns). */
  checkDelivery: ['admin', 'manager', 'analyst'],
  /** Restrict a customer's account and set its record dates (account management). */
  manageCustomerAccount: ['admin', 'manager'],
  /** Read a customer's retention state (record dates, when it will be erased). */
  readCustomerRetention: ['admin', 'manager', 'dpo'],
  /** The customer's whole data set as JSON (portability); it holds the contact fields. */
  exportCustomer: ['admin', 'manager', 'dpo'],
  openCase: ['admin', 'reviewer'],
  /** Close a case someone else opened (its opener may always close it). */
  closeAnyCase: ['admin'],
  readCases: ['admin', 'reviewer', ...APPROVER_ROLES],
  /** Fetch one's key share for a case and hand in the re-wrapped share. */
  approveCase: APPROVER_ROLES,
  /** Register one's approver public key. */
  enrolApprover: APPROVER_ROLES,
  readKeys: ['admin', ...APPROVER_ROLES],
  runCeremony: ['admin'],
  rotateTokenKey: ['admin'],
  manageUsers: ['admin'],
  readAudit: ['admin', ...APPROVER_ROLES],
  /** Invite people to a customer's portal, list, disable and remove its portal users, revoke invitations. */
  managePortalUsers: ['admin', 'manager'],
  /** Contact and data-subject requests hold data subjects' personal data: the DPO and admins only. */
  handleRequests: ['admin', 'dpo'],
  /**
   * Monthly statements (the invoicing basis): the roles that read statistics, with management for
   * finance; reviewers and the DPO need neither delivery figures nor prices for their work.
   */
  readStatements: ['admin', 'manager', 'analyst', 'management'],
  /** Forecast zones' traffic and what goals have booked of it (the roles that plan campaigns). */
  forecast: ['admin', 'manager', 'analyst'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ACTION_ROLES;

/** Which console areas a role sees, and the admin route each area's view loads first. */
export const AREAS = {
  dashboard: { roles: ['admin', 'manager', 'analyst', 'reviewer', 'management', 'dpo'], loads: 'GET /api/me' },
  customers: { roles: ['admin', 'manager', 'analyst', 'dpo'], loads: 'GET /api/customers' },
  sites: { roles: ['admin', 'manager', 'analyst'], loads: 'GET /api/sites' },
  campaigns: { roles: ['admin', 'manager', 'analyst'], loads: 'GET /api/campaigns' },
  statistics: { roles: ['admin', 'manager', 'analyst', 'management'], loads: 'GET /api/stats' },
  cases: { roles: ACTION_ROLES.readCases, loads: 'GET /api/cases' },
  keys: { roles: ACTION_ROLES.readKeys, loads: 'GET /api/keys' },
  requests: { roles: ACTION_ROLES.handleRequests, loads: 'GET /api/requests' },
  audit: { roles: ACTION_ROLES.readAudit, loads: 'GET /api/audit' },
  users: { roles: ACTION_ROLES.manageUsers, loads: 'GET /api/users' },
} as const satisfies Record<string, { roles: readonly Role[]; loads: AdminRouteKey }>;

export type Area = keyof typeof AREAS;

/** Roles per area (what the console's navigation and router guard read). */
export const AREA_ROLES = Object.fromEntries(Object.entries(AREAS).map(([area, a]) => [area, a.roles])) as {
  readonly [A in Area]: (typeof AREAS)[A]['roles'];
};

/** Who may call an admin route: nobody signed in needed, any signed-in staff member, or the roles of an action. */
export type RouteRule = 'public' | 'signedIn' | Action;

/**
 * Every admin API route (`METHOD /path`, find-my-way syntax) and its rule. A route missing here
 * does not compile (adminRoute takes its key) and the server refuses to start with one registered
 * another way; server/admin/access-table.test.ts walks this table against the real server.
 */
export const ADMIN_ROUTES = {
  'GET /api/health': 'public',
  'GET /api/setup': 'public',
  'POST /api/setup': 'public',
  'POST /api/session': 'public',
  'DELETE /api/session': 'signedIn',
  'GET /api/me': 'signedIn',
  'GET /api/config': 'signedIn',
  'GET /api/server-info': 'public',

  'GET /api/users': 'manageUsers',
  'GET /api/users/:id': 'manageUsers',
  'POST /api/users': 'manageUsers',
  'PATCH /api/users/:id': 'manageUsers',
  'DELETE /api/users/:id/totp': 'manageUsers',
  'GET /api/settings/security': 'manageUsers',
  'PUT /api/settings/security': 'manageUsers',

  // One's own two-factor sign-in (TOTP): enrolment, confirmation, switching it off.
  'POST /api/me/totp': 'signedIn',
  'POST /api/me/totp/confirm': 'signedIn',
  'DELETE /api/me/totp': 'signedIn',

  // Everyone reads customers' business fields; contact fields only with readCustomerContact.
  'GET /api/customers': 'signedIn',
  'GET /api/customers/:id': 'signedIn',
  'POST /api/customers': 'editCatalog',
  'PATCH /api/customers/:id': 'editCatalog',
  'POST /api/customers/:id/deletion': 'manageCustomerAccount',
  'GET /api/customers/:id/records': 'readCustomerRetention',
  'PUT /api/customers/:id/records': 'manageCustomerAccount',
  'GET /api/customers/:id/export': 'exportCustomer',
  // Traffic totals of the customer's campaigns: statistics, which every signed-in role reads.
  'GET /api/customers/:id/totals': 'signedIn',
  'GET /api/customers/:id/statements/:month': 'readStatements',
  // The customer's portal accounts (their e-mails are personal data: account managers and admins).
  'POST /api/customers/:id/portal-invitations': 'managePortalUsers',
  'GET /api/customers/:id/portal-users': 'managePortalUsers',
  'PATCH /api/portal-users/:id': 'managePortalUsers',
  'DELETE /api/portal-users/:id': 'managePortalUsers',
  'DELETE /api/portal-invitations/:id': 'managePortalUsers',

  'GET /api/sites': 'signedIn',
  'GET /api/sites/:id': 'signedIn',
  'POST /api/sites': 'editCatalog',
  'PATCH /api/sites/:id': 'editCatalog',
  'POST /api/sites/:id/archive': 'editCatalog',
  'POST /api/sites/:id/restore': 'editCatalog',
  'GET /api/sites/:id/statements/:month': 'readStatements',
  'GET /api/zones': 'signedIn',
  'GET /api/zones/:id': 'signedIn',
  'POST /api/zones': 'editCatalog',
  'PATCH /api/zones/:id': 'editCatalog',
  'POST /api/zones/:id/archive': 'editCatalog',
  'POST /api/zones/:id/restore': 'editCatalog',
  'GET /api/campaigns': 'signedIn',
  'GET /api/campaigns/:id': 'signedIn',
  'POST /api/campaigns': 'editCatalog',
  'PATCH /api/campaigns/:id': 'editCatalog',
  'POST /api/campaigns/:id/duplicate': 'editCatalog',
  'POST /api/campaigns/:id/archive': 'editCatalog',
  'POST /api/campaigns/:id/restore': 'editCatalog',
  'POST /api/campaigns/bulk': 'editCatalog',
  'GET /api/campaigns/:id/prices': 'signedIn',
  'GET /api/campaigns/delivery-check': 'checkDelivery',
  'GET /api/campaigns/:id/delivery-check': 'checkDelivery',
  'GET /api/zones/:id/delivery-check': 'checkDelivery',
  // A preview of what the zone would show for a keyword set, made by the real rules and counting nothing.
  'GET /api/zones/:id/preview': 'checkDelivery',
  'POST /api/forecast': 'forecast',
  'POST /api/campaigns/:id/prices': 'editCatalog',
  'GET /api/assets': 'signedIn',
  'GET /api/assets/:id': 'signedIn',
  'GET /api/assets/:id/content': 'signedIn',
  'POST /api/assets': 'editCatalog',
  'GET /api/creatives': 'signedIn',
  'GET /api/creatives/:id': 'signedIn',
  'POST /api/creatives': 'editCatalog',
  'PATCH /api/creatives/:id': 'editCatalog',
  'POST /api/creatives/:id/archive': 'editCatalog',
  'POST /api/creatives/:id/restore': 'editCatalog',

  'GET /api/stats': 'signedIn',
  'GET /api/stats/summary': 'signedIn',

  'GET /api/keys': 'readKeys',
  'GET /api/keys/status': 'signedIn',
  'POST /api/keys/ceremony': 'runCeremony',
  'GET /api/approvers': 'readKeys',
  'POST /api/approvers/enrolment': 'enrolApprover',
  'POST /api/delivery/token-key/rotate': 'rotateTokenKey',

  'GET /api/cases': 'readCases',
  'GET /api/cases/waiting-for-me': 'approveCase',
  'POST /api/cases': 'openCase',
  'GET /api/cases/:id': 'readCases',
  'POST /api/cases/:id/customer-involvement': 'openCase',
  'GET /api/cases/:id/shares/mine': 'approveCase',
  'POST /api/cases/:id/approvals': 'approveCase',
  // The case service decides per case: records for its opener and approvers, closing for its opener or closeAnyCase.
  'GET /api/cases/:id/records': 'signedIn',
  'GET /api/cases/:id/export': 'signedIn',
  'POST /api/cases/:id/close': 'signedIn',

  'GET /api/requests': 'handleRequests',
  'GET /api/requests/export': 'handleRequests',
  'GET /api/requests/:id': 'handleRequests',
  'PATCH /api/requests/:id': 'handleRequests',
  'POST /api/requests/:id/forward': 'handleRequests',

  // Counts and newest ids for the overview's setup checklist (no names, no contact data).
  'GET /api/setup-progress': 'signedIn',

  'GET /api/audit': 'readAudit',
  'GET /api/audit/verify': 'readAudit',
} as const satisfies Record<string, RouteRule>;

export type AdminRouteKey = keyof typeof ADMIN_ROUTES;

// Typed as admin routes, so a typo there (which would lock enrolment-due users out) does not compile.
const ENROLMENT_ROUTES: readonly AdminRouteKey[] = TOTP_ENROLMENT_ROUTES;

/** Whether a session that still has to set up two-factor sign-in may call a route. */
export function allowedWhileEnrolmentDue(route: AdminRouteKey): boolean {
  return ENROLMENT_ROUTES.includes(route);
}

/** Whether someone holding these roles may do an action. */
export function can(roles: readonly Role[], action: Action): boolean {
  const allowed: readonly Role[] = ACTION_ROLES[action];
  return roles.some((r) => allowed.includes(r));
}

/** The roles that may call a route under a rule, or null when no session is needed / any will do. */
export function rolesFor(rule: RouteRule): readonly Role[] | null {
  return rule === 'public' || rule === 'signedIn' ? null : ACTION_ROLES[rule];
}
