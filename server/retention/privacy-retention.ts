import { RequestRepo } from '../requests/request-repo';
import type { RetentionEnv, RetentionTask } from './retention-task';
import { CustomerErasureRepo } from '../privacy/customer-erasure-repo';
import { CustomerPrivacyRepo } from '../privacy/customer-privacy-repo';
import { erasureDueAt } from '../privacy/erasure-schedule';
import { loadRetentionPolicy } from '../privacy/privacy-options';

function dueCustomers(env: RetentionEnv) {
  const policy = loadRetentionPolicy(env.config);
  return new CustomerPrivacyRepo(env.db, null).restricted().map((c) => ({ ...c, due: erasureDueAt(new Date(c.restrictedAt), c, policy) }));
}

/**
 * Erases what the personal-data periods no longer allow to keep: restricted customers whose last
 * period has ended, with everything about them, and the personal data of closed requests whose
 * restriction has ended. Each erasure is one transaction with its own audit entry (ids and counts,
 * no personal data); needs no data key. Afterwards the WAL is checkpointed so that erased pages
 * (zeroed by secure_delete) do not linger in it.
 */
export const personalDataRetention: RetentionTask = {
  name: 'personal-data',
  run(env, now) {
    const { db, audit } = env;
    const erasure = new CustomerErasureRepo(db);
    const requests = new RequestRepo(db, null);
    const lines: string[] = [];
    const erasedCustomers: string[] = [];
    for (const c of dueCustomers(env)) {
      if (now < c.due.at) continue;
      const counts = db.transaction(() => {
        const n = erasure.erase(c.id);
        audit.append({ actor: env.actor, action: 'customer.erased', target: c.id, details: { ...n, restrictedAt: c.restrictedAt, retentionEnded: c.due.at.toISOString(), period: c.due.reason } });
        return n;
      }).immediate();
      erasedCustomers.push(c.id);
      lines.push(`erased customer ${c.id} (${counts.sites} sites, ${counts.zones} zones, ${counts.campaigns} campaigns, ${counts.creatives} creatives, ${counts.assets} assets; ${c.due.reason} period ended ${c.due.at.toISOString()})`);
    }
    const erasedRequests: string[] = [];
    for (const id of requests.dueForErasure(now)) {
      db.transaction(() => {
        requests.erase(id, now);
        audit.append({ actor: env.actor, action: 'request.erase', target: id, details: { reason: 'retention ended' } });
      }).immediate();
      erasedRequests.push(id);
      lines.push(`erased the personal data of closed request ${id}`);
    }
    if (erasedCustomers.length + erasedRequests.length > 0) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      if (erasedCustomers.length) env.onCustomersErased?.();
    }
    return { details: { erasedCustomers, erasedRequests }, lines };
  },
  nextDue(env, now) {
    let next: Date | null = null;
    for (const c of dueCustomers(env)) if (c.due.at > now && (!next || c.due.at < next)) next = c.due.at;
    const request = new RequestRepo(env.db, null).nextErasure(now);
    if (request && (!next || request < next)) next = request;
    return next;
  },
};
