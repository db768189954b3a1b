import type { PersonalDataRetention } from './privacy-options';

/** Start of the year `years` after the end of `date`'s calendar year (HGB §257(5), AO §147(4)), UTC. */
export function endOfRetentionYears(date: Date, years: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear() + years + 1, 0, 1));
}

/**
 * When a restricted customer may be erased: the latest of the contact-data period after the
 * restriction and the legal periods of its contract and invoice records (when it has any).
 */
export function erasureDueAt(
  restrictedAt: Date,
  records: { lastContractAt: string | null; lastInvoiceAt: string | null },
  policy: PersonalDataRetention,
): { at: Date; reason: 'contact' | 'contract' | 'invoice' } {
  let best: { at: Date; reason: 'contact' | 'contract' | 'invoice' } = { at: new Date(restrictedAt.getTime() + policy.contactDays * 86_400_000), reason: 'contact' };
  if (records.lastContractAt) {
    const at = endOfRetentionYears(new Date(records.lastContractAt), policy.contractYears);
    if (at > best.at) best = { at, reason: 'contract' };
  }
  if (records.lastInvoiceAt) {
    const at = endOfRetentionYears(new Date(records.lastInvoiceAt), policy.invoiceYears);
    if (at > best.at) best = { at, reason: 'invoice' };
  }
  return best;
}
