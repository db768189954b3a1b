import type { AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import type { Router } from '../http/router';
import { registerCustomerPrivacyRoutes } from './customer-privacy-routes';
import { CustomerPrivacyRepo } from './customer-privacy-repo';
import { retentionPolicy, saveRetentionPolicy } from './privacy-options';
import { loadPrivacy, type PrivacyServices } from './privacy-services';

/**
 * Loads the data key (OS keychain or key file; refuses to start without one), encrypts contact
 * data left in plain text by older versions, records the personal-data retention periods for
 * `retention run`, and adds the customer restriction, record and export routes. Every service that
 * reads customers or requests gets the returned field cipher.
 */
export async function startPrivacy(ctx: AppContext, admin: Router<AdminState>): Promise<PrivacyServices> {
  const privacy = await loadPrivacy({ dataDir: ctx.config.dataDir, keyFile: ctx.config.privacy?.dataKeyFile, log: ctx.log });
  const { cipher } = privacy;
  // Deleted rows are overwritten with zeros in the database file instead of lingering in free pages.
  ctx.db.pragma('secure_delete = ON');
  const converted = new CustomerPrivacyRepo(ctx.db, cipher).encryptLegacyRows();
  if (converted > 0) {
    ctx.audit.append({ actor: 'system', action: 'privacy.encrypt-legacy', details: { customers: converted } });
    ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    ctx.log.info('encrypted contact data stored in plain text by an older version', { customers: converted });
  }
  saveRetentionPolicy(ctx.config.dataDir, retentionPolicy(ctx.config.privacy));
  registerCustomerPrivacyRoutes(ctx, admin, cipher);
  return privacy;
}
