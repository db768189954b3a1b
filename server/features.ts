import type { Feature } from './app-context';
import { healthFeature } from './delivery/health';

/** Every feature of the server, wired in this order at start-up. */
export const FEATURES: readonly Feature[] = [healthFeature];
