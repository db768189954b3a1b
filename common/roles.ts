/** Staff roles; each admin route names the ones that may call it. */
export const ROLES = ['admin', 'manager', 'analyst', 'reviewer', 'management', 'dpo'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that may approve unsealing (hold a key share). */
export const APPROVER_ROLES: readonly Role[] = ['management', 'dpo'];

/** The header every state-changing admin request must carry (a CSRF defence the browser cannot forge cross-site). */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_HEADER_VALUE = 'creative-engine';
