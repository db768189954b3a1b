import type { Role } from '../../common/roles';

/**
 * Which roles see which area; mirrors the roles the server's routes declare (server/*-routes.ts), so
 * that a role sees only what it may use. The server still enforces every call.
 */
export const AREA_ROLES = {
  dashboard: ['admin', 'manager', 'analyst', 'reviewer', 'management', 'dpo'],
  customers: ['admin', 'manager', 'analyst', 'dpo'],
  sites: ['admin', 'manager', 'analyst'],
  campaigns: ['admin', 'manager', 'analyst'],
  statistics: ['admin', 'manager', 'analyst', 'management'],
  cases: ['admin', 'reviewer', 'management', 'dpo'],
  keys: ['admin', 'management', 'dpo'],
  requests: ['admin', 'dpo'],
  audit: ['admin', 'management', 'dpo'],
  users: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Area = keyof typeof AREA_ROLES;

/** Roles that may do these actions (the server's CATALOG_WRITERS, privacy READERS, case OPENERS, ceremony). */
export const ACTION_ROLES = {
  editCatalog: ['admin', 'manager'],
  exportCustomer: ['admin', 'manager', 'dpo'],
  openCase: ['admin', 'reviewer'],
  approveCase: ['management', 'dpo'],
  runCeremony: ['admin'],
} as const satisfies Record<string, readonly Role[]>;
