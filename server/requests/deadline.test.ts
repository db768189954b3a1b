import { describe, expect, it } from 'vitest';
import { requestDeadline } from './deadline';

describe('requestDeadline', () => {
  it('ends with the same date of the next month', () => {
    expect(requestDeadline(new Date('2025-03-15T10:00:00Z')).toISOString()).toBe('2025-04-15T23:59:59.999Z');
    expect(requestDeadline(new Date('2025-12-01T00:00:00Z')).toISOString()).toBe('2026-01-01T23:59:59.999Z');
  });
  it('falls back to the last day of a shorter month', () => {
    expect(requestDeadline(new Date('2025-01-31T08:00:00Z')).toISOString()).toBe('2025-02-28T23:59:59.999Z');
    expect(requestDeadline(new Date('2024-01-30T08:00:00Z')).toISOString()).toBe('2024-02-29T23:59:59.999Z');
    expect(requestDeadline(new Date('2025-08-31T23:59:59Z')).toISOString()).toBe('2025-09-30T23:59:59.999Z');
  });
});
