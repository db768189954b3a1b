import type { Migration } from './index';

/**
 * Encryption at rest for customers' contact data: a keyed hash of the e-mail for lookups and a
 * marker of rows whose personal fields are encrypted (rows written before are encrypted at start).
 * `customer_records` holds only the dates of the records that must be kept (contracts, invoices):
 * they decide when a restricted customer is erased.
 */
export const m030Privacy: Migration = {
  version: 30,
  name: 'privacy',
  up: `
ALTER TABLE customers ADD COLUMN email_hash TEXT;
ALTER TABLE customers ADD COLUMN pii_version INTEGER NOT NULL DEFAULT 0;   -- 0 plain text (legacy), 1 encrypted
CREATE INDEX customers_email_hash ON customers(email_hash);

CREATE TABLE customer_records (
  customer_id TEXT PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
  last_contract_at TEXT,             -- end of the last contract (HGB §257: kept 6 years after that year)
  last_invoice_at TEXT,              -- date of the last invoice (AO §147: kept 10 years after that year)
  updated_at TEXT NOT NULL
);
`,
};
