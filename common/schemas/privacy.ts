import { z } from 'zod';
import { keyed } from './checks';

const recordDate = z.iso.datetime({ offset: true }).nullable().optional();

/**
 * The dates of the business records that must be kept for a customer (contracts: HGB §257,
 * invoices: AO §147); they decide how long a restricted customer is kept before erasure.
 */
export const customerRecordsSchema = z
  .strictObject({ lastContractAt: recordDate, lastInvoiceAt: recordDate })
  .refine((v) => v.lastContractAt !== undefined || v.lastInvoiceAt !== undefined, keyed('recordDates', 'Send lastContractAt and/or lastInvoiceAt (null clears one).'));
export type CustomerRecordsInput = z.infer<typeof customerRecordsSchema>;

/** Body of POST /api/customers/ID/deletion (optional): record dates known at the time of the request. */
export const customerDeletionSchema = z.strictObject({ lastContractAt: recordDate, lastInvoiceAt: recordDate });

/** Record dates and what they mean for erasure, as GET/PUT /api/customers/ID/records answer. */
export interface CustomerRetention {
  customerId: string;
  lastContractAt: string | null;
  lastInvoiceAt: string | null;
  status: 'active' | 'restricted';
  restrictedAt: string | null;
  /** When a restricted customer will be erased (null while active), and the period that decides it. */
  eraseAfter: string | null;
  eraseReason: 'contact' | 'contract' | 'invoice' | null;
}
