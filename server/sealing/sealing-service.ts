import type { KeyRing } from './key-ring';
import type { Sealer } from './sealer';

/** The sealing services of a running app: the key ring (ceremonies, cases) and the sealer (access records). */
export interface SealingService {
  keyRing: KeyRing;
  sealer: Sealer;
  sealedDir: string;
}
