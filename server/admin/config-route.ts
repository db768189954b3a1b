import type { ConsoleConfig } from '../../common/schemas/console-config';
import type { Feature } from '../app-context';
import { adminRoute } from './admin-route';

/**
 * GET /api/config: what the console needs to know about this server — the delivery base URL that
 * goes into publishers' ad tags (the configured public URL, or the delivery listener's address).
 */
export const consoleConfigFeature: Feature = (ctx, { admin }) => {
  adminRoute(admin, 'GET /api/config', (): ConsoleConfig => ({ deliveryBaseUrl: ctx.deliveryBaseUrl().replace(/\/+$/, '') }));
};
