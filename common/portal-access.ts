/**
 * The portal's route table: every JSON route of the customer portal (`/portal-api/…`) and who may
 * call it. `public` routes need no session (sign-in, accepting an invitation); `customer` routes
 * need a signed-in portal user and only ever see that user's own customer (server/portal/portal-route.ts
 * hands each handler the session, whose customer id scopes every query). Staff sessions never reach
 * these routes and portal sessions never reach `/api/`: the listeners, cookies and tables differ.
 * Change the portal's routes here, nowhere else.
 */
export const PORTAL_ROUTES = {
  // Account and session
  'POST /portal-api/invitations/check': 'public',
  'POST /portal-api/invitations/accept': 'public',
  'POST /portal-api/session': 'public',
  'DELETE /portal-api/session': 'public',
  'GET /portal-api/me': 'customer',
  'PUT /portal-api/me/password': 'customer',
  'GET /portal-api/me/totp': 'customer',
  'POST /portal-api/me/totp': 'customer',
  'POST /portal-api/me/totp/confirm': 'customer',
  'DELETE /portal-api/me/totp': 'customer',
  // The customer's data
  'GET /portal-api/overview': 'customer',
  'GET /portal-api/account': 'customer',
  'PATCH /portal-api/account': 'customer',
  'GET /portal-api/export': 'customer',
  'POST /portal-api/deletion': 'customer',
  'GET /portal-api/campaigns': 'customer',
  'GET /portal-api/campaigns/:id': 'customer',
  'GET /portal-api/creatives': 'customer',
  'GET /portal-api/creatives/:id/preview': 'customer',
  'GET /portal-api/sites': 'customer',
  'GET /portal-api/sites/:id': 'customer',
  'GET /portal-api/stats': 'customer',
  // Requests forwarded by the agency
  'GET /portal-api/requests': 'customer',
  'GET /portal-api/requests/:id': 'customer',
  'PATCH /portal-api/requests/:id': 'customer',
  'GET /portal-api/requests/:id/replies': 'customer',
  'POST /portal-api/requests/:id/replies': 'customer',
} as const satisfies Record<string, 'public' | 'customer'>;

export type PortalRouteKey = keyof typeof PORTAL_ROUTES;

/** The portal's session cookie (the admin listener's is `sid`; neither listener reads the other's). */
export const PORTAL_COOKIE = 'psid';

/** Path prefix of the portal's JSON API. */
export const PORTAL_API_PREFIX = '/portal-api/';
