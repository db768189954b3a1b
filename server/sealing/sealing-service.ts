import type { AppContext } from '../app-context';
import type { KeyRing } from './key-ring';
import type { Sealer } from './sealer';

/** The sealing services of a running app: the key ring (ceremonies, cases) and the sealer (stats). */
export interface SealingService {
  keyRing: KeyRing;
  sealer: Sealer;
  sealedDir: string;
}

const services = new WeakMap<AppContext, SealingService>();

/** Attaches the sealing services to an app context (done once by the sealing feature). */
export function provideSealing(ctx: AppContext, service: SealingService): void {
  if (services.has(ctx)) throw new Error('The sealing feature is wired twice.');
  services.set(ctx, service);
}

/** The sealing services of `ctx`; throws when the sealing feature has not been wired (it must come first in FEATURES). */
export function getSealing(ctx: AppContext): SealingService {
  const service = services.get(ctx);
  if (!service) throw new Error('The sealing feature is not running: list sealingFeature before the features that use it.');
  return service;
}

/** Like getSealing, but null when sealing is not wired (features that can run without it). */
export function findSealing(ctx: AppContext): SealingService | null {
  return services.get(ctx) ?? null;
}
