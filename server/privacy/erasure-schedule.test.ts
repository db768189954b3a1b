import { describe, expect, it } from 'vitest';
import { endOfRetentionYears, erasureDueAt } from './erasure-schedule';
import { DEFAULT_RETENTION, parseRetentionFlag, retentionPolicy } from './privacy-options';

describe('erasure schedule', () => {
  it('counts legal periods from the end of the record\'s calendar year', () => {
    expect(endOfRetentionYears(new Date('2024-03-10T00:00:00Z'), 6).toISOString()).toBe('2031-01-01T00:00:00.000Z');
    expect(endOfRetentionYears(new Date('2024-12-31T23:59:59Z'), 10).toISOString()).toBe('2035-01-01T00:00:00.000Z');
  });

  it('erases at the next run without records, else when the last period ends', () => {
    const restricted = new Date('2025-05-05T12:00:00Z');
    expect(erasureDueAt(restricted, { lastContractAt: null, lastInvoiceAt: null }, DEFAULT_RETENTION)).toEqual({ at: restricted, reason: 'contact' });
    expect(erasureDueAt(restricted, { lastContractAt: '2024-06-01T00:00:00Z', lastInvoiceAt: null }, DEFAULT_RETENTION)).toEqual({ at: new Date('2031-01-01T00:00:00Z'), reason: 'contract' });
    expect(erasureDueAt(restricted, { lastContractAt: '2024-06-01T00:00:00Z', lastInvoiceAt: '2020-02-01T00:00:00Z' }, DEFAULT_RETENTION)).toEqual({ at: new Date('2031-01-01T00:00:00Z'), reason: 'contract' });
    expect(erasureDueAt(restricted, { lastContractAt: '2024-06-01T00:00:00Z', lastInvoiceAt: '2024-02-01T00:00:00Z' }, DEFAULT_RETENTION)).toEqual({ at: new Date('2035-01-01T00:00:00Z'), reason: 'invoice' });
    const policy = retentionPolicy({ retention: { contactDays: 30 } });
    expect(erasureDueAt(restricted, { lastContractAt: null, lastInvoiceAt: null }, policy).at.toISOString()).toBe('2025-06-04T12:00:00.000Z');
  });

  it('parses the retention flag strictly', () => {
    expect(parseRetentionFlag('contracts=3y,invoices=8y,contact=7d,requests=30d,requests.erasure=1095d')).toEqual({
      contractYears: 3,
      invoiceYears: 8,
      contactDays: 7,
      requestDays: { contact: 30, access: 30, rectification: 30, erasure: 1095, restriction: 30, portability: 30, objection: 30 },
    });
    expect(retentionPolicy({ retention: parseRetentionFlag('requests.access=10d') }).requestDays).toMatchObject({ access: 10, contact: 0 });
    expect(() => parseRetentionFlag('contracts=6d')).toThrow(/years/);
    expect(() => parseRetentionFlag('contact=1y')).toThrow(/days/);
    expect(() => parseRetentionFlag('stuff=1d')).toThrow(/unknown record kind "stuff"/);
    expect(() => parseRetentionFlag('contracts')).toThrow(/KIND=N/);
  });
});
