import type { Feature } from '../app-context';
import { registerCustomerPrivacyRoutes } from './customer-privacy-routes';
import { CustomerPrivacyRepo } from './customer-privacy-repo';
import { retentionPolicy, saveRetentionPolicy } from './privacy-options';
import { onCustomersErased } from './erasure-hook';
import { loadPrivacy } from './privacy-services';

/**
 * Loads the data key (OS keychain or key file; refuses to start without one), attaches the field
 * cipher to the store, encrypts contact data left in plain text by older versions, records the
 * personal-data retention periods for `retention run`, and adds the customer restriction, record
 * and export routes. Must run before every feature that reads customers or requests.
 */
export const privacyFeature: Feature = async (ctx, { admin }) => {
  const { cipher } = await loadPrivacy(ctx.db, { dataDir: ctx.config.dataDir, keyFile: ctx.config.privacy?.dataKeyFile, log: ctx.log });
  // Deleted rows are overwritten with zeros in the database file instead of lingering in free pages.
  ctx.db.pragma('secure_delete = ON');
  const converted = new CustomerPrivacyRepo(ctx.db, cipher).encryptLegacyRows();
  if (converted > 0) {
    ctx.audit.append({ actor: 'system', action: 'privacy.encrypt-legacy', details: { customers: converted } });
    ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    ctx.log.info('encrypted contact data stored in plain text by an older version', { customers: converted });
  }
  saveRetentionPolicy(ctx.config.dataDir, retentionPolicy(ctx.config.privacy));
  onCustomersErased(ctx.db, () => ctx.events.emit('data-changed', 'customer'));
  registerCustomerPrivacyRoutes(ctx, admin, cipher);
};
