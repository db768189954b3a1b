import type { Feature } from '../app-context';
import { getSealing } from '../sealing/sealing-service';
import { registerKeyRoutes } from './key-routes';

/** Approver enrolment and key ceremonies over the sealing key ring (list after sealingFeature). */
export const keysFeature: Feature = (ctx, { admin }) => {
  registerKeyRoutes(ctx, admin, getSealing(ctx).keyRing);
};
