import type { Feature } from './app-context';
import { consoleConfigFeature } from './admin/config-route';
import { authFeature } from './auth/auth-feature';
import { catalogFeature } from './catalog/catalog-feature';
import { healthFeature } from './delivery/health';
import { deliveryFeature } from './delivery/delivery-feature';
import { statsFeature } from './stats/stats-feature';
import { sealingFeature } from './sealing/sealing-feature';
import { auditFeature } from './audit/audit-routes';
import { casesFeature } from './cases/cases-feature';
import { keysFeature } from './keys/keys-feature';
import { privacyFeature } from './privacy/privacy-feature';
import { requestsFeature } from './requests/requests-feature';
import { retentionFeature } from './retention/retention-feature';
import { backupFeature } from './backup/backup-schedule';

/** Every feature of the server, wired in this order at start-up. */
export const FEATURES: readonly Feature[] = [healthFeature, privacyFeature, authFeature, sealingFeature, keysFeature, casesFeature, auditFeature, catalogFeature, deliveryFeature, statsFeature, requestsFeature, consoleConfigFeature, retentionFeature, backupFeature];
