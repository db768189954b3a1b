import { describe, expect, it } from 'vitest';
import { GuessBudget } from './guess-budget';

const RULE = { burst: 4, intervalMs: 1000 };

describe('GuessBudget', () => {
  it('allows the burst at once, then one per interval, and never asks for more than one interval', () => {
    let now = 0;
    const budget = new GuessBudget(RULE, () => now);
    for (let i = 0; i < 4; i++) {
      expect(budget.retryAfterMs('k')).toBe(0);
      budget.fail('k');
    }
    expect(budget.retryAfterMs('k')).toBe(1000);
    now += 400;
    expect(budget.retryAfterMs('k')).toBe(600);
    now += 600;
    expect(budget.retryAfterMs('k')).toBe(0);
    budget.fail('k');
    expect(budget.retryAfterMs('k')).toBe(1000);
    expect(budget.retryAfterMs('other')).toBe(0);
    now += 4000;
    for (let i = 0; i < 4; i++) budget.fail('k');
    expect(budget.retryAfterMs('k')).toBe(1000);
  });

  it('gives back the charge of an attempt that succeeded, and only that one', () => {
    const budget = new GuessBudget(RULE, () => 0);
    for (let i = 0; i < 4; i++) budget.fail('k');
    budget.undo('k');
    expect(budget.retryAfterMs('k')).toBe(0);
    budget.fail('k');
    expect(budget.retryAfterMs('k')).toBe(1000);
  });

  it('keeps a spent budget when a flood of fresh keys fills the map, and stays bounded', () => {
    let now = 1_000_000;
    const budget = new GuessBudget(RULE, () => now, 100);
    for (let i = 0; i < 4; i++) budget.fail('victim@example.test');
    for (let i = 0; i < 1000; i++) budget.fail(`random-${i}@example.test`);
    now += 500;
    expect(budget.retryAfterMs('victim@example.test')).toBe(500);
    expect((budget as unknown as { paidAt: Map<string, number> }).paidAt.size).toBeLessThanOrEqual(100);
  });
});
