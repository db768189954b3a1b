import type { CustomerRetention } from '../../common/schemas/privacy';
import type { AppContext } from '../app-context';
import { CustomerErasureRepo } from './customer-erasure-repo';
import { CustomerPrivacyRepo } from './customer-privacy-repo';
import { CustomerRepo } from './customer-repo';
import { erasureDueAt } from './erasure-schedule';
import type { FieldCipher } from './field-cipher';
import { retentionPolicy } from './privacy-options';

/**
 * What a customer's data-protection lifecycle does, for both doors: staff (customer-privacy-routes.ts)
 * and the customer itself in the portal. Every call that changes or discloses data writes its audit
 * entry with the given actor (a staff user id or `portal:<userId>`).
 */
export class CustomerPrivacyActions {
  private readonly repo: CustomerPrivacyRepo;
  private readonly erasure: CustomerErasureRepo;
  private readonly customers: CustomerRepo;
  private readonly policy;

  constructor(private readonly ctx: AppContext, cipher: FieldCipher) {
    this.repo = new CustomerPrivacyRepo(ctx.db, cipher);
    this.erasure = new CustomerErasureRepo(ctx.db);
    this.customers = new CustomerRepo(ctx.db, cipher);
    this.policy = retentionPolicy(ctx.config.privacy);
  }

  exists(id: string): boolean {
    return this.repo.exists(id);
  }

  /** Status, record dates and when a restricted customer will be erased. */
  retention(id: string): CustomerRetention {
    const s = this.repo.retentionState(id)!;
    const due = s.status === 'restricted' && s.restrictedAt ? erasureDueAt(new Date(s.restrictedAt), s, this.policy) : null;
    return { customerId: id, ...s, eraseAfter: due?.at.toISOString() ?? null, eraseReason: due?.reason ?? null };
  }

  /**
   * The deletion request: restricts the customer now (locked, no delivery, no portal sign-in) and
   * leaves its erasure to retention. Record dates known at the time may come with it.
   */
  restrict(id: string, actor: string, dates: { lastContractAt?: string | null; lastInvoiceAt?: string | null } = {}): CustomerRetention {
    const now = this.ctx.now();
    const changed = this.ctx.db.transaction(() => {
      if (dates.lastContractAt !== undefined || dates.lastInvoiceAt !== undefined) this.repo.setRecords(id, dates, now);
      if (!this.repo.restrict(id, now)) return false;
      const r = this.retention(id);
      this.ctx.audit.append({ actor, action: 'customer.restrict', target: id, details: { eraseAfter: r.eraseAfter, period: r.eraseReason } });
      return true;
    }).immediate();
    // Delivery rebuilds its index without the restricted customer's campaigns.
    if (changed) this.ctx.events.emit('data-changed', { what: 'customer' });
    return this.retention(id);
  }

  /** The portability export: the customer and everything the store holds about it (audited with counts only). */
  exportData(id: string, actor: string) {
    const customer = this.customers.get(id);
    const data = this.erasure.collect(id);
    const counts = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.length]));
    this.ctx.audit.append({ actor, action: 'customer.export', target: id, details: counts });
    return { format: 'creative-engine customer export v1', exportedAt: this.ctx.now().toISOString(), customer, retention: this.retention(id), ...data };
  }
}
