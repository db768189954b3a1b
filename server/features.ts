import type { Feature } from './app-context';
import { authFeature } from './auth/auth-feature';
import { catalogFeature } from './catalog/catalog-feature';
import { healthFeature } from './delivery/health';

/** Every feature of the server, wired in this order at start-up. */
export const FEATURES: readonly Feature[] = [healthFeature, authFeature, catalogFeature];
