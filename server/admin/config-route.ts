import type { ConsoleConfig } from '../../common/schemas/console-config';
import type { Router } from '../http/router';
import { adminRoute, type AdminState } from './admin-route';

/**
 * GET /api/config: what the console needs to know about this server — the delivery base URL that
 * goes into publishers' ad tags (the configured public URL, or the delivery listener's address).
 */
export function registerConsoleConfigRoute(admin: Router<AdminState>, deliveryBaseUrl: () => string, timeZone: string): void {
  adminRoute(admin, 'GET /api/config', (): ConsoleConfig => ({ deliveryBaseUrl: deliveryBaseUrl().replace(/\/+$/, ''), timeZone }));
}
