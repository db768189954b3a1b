/** Staff roles; each admin route names the ones that may call it. */
export const ROLES = ['admin', 'manager', 'analyst', 'reviewer', 'management', 'dpo'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that may approve unsealing (hold a key share). */
export const APPROVER_ROLES: readonly Role[] = ['management', 'dpo'];

/** The header every state-changing admin request must carry (a CSRF defence the browser cannot forge cross-site). */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'creative-engine';

/** Roles that must sign in with a second factor (TOTP); with the setting totp_required_for_all, every role must. */
export const TOTP_REQUIRED_ROLES: readonly Role[] = ['management', 'dpo'];

/**
 * The admin routes a session may call while its user still has to set up two-factor sign-in (every
 * other one answers 403 totp_enrolment_required); common/access.ts checks they are admin routes.
 */
export const TOTP_ENROLMENT_ROUTES = ['GET /api/me', 'DELETE /api/session', 'POST /api/me/totp', 'POST /api/me/totp/confirm'] as const;
