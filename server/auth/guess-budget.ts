/** A budget of failures: `burst` at once, then one per `intervalMs` (a key with no debt is forgotten). */
export interface BudgetRule {
  burst: number;
  intervalMs: number;
}

/**
 * Failed sign-ins per account across every address: a leaky bucket (GCRA). Each failure adds one
 * interval of debt; an attempt may start while the debt, its own included, stays within `burst`
 * intervals. It never locks for longer than one interval: it paces, so whoever asks next after
 * the wait gets the next try. Like LoginThrottle, an attempt is charged when it starts and given
 * back when it succeeds.
 */
export class GuessBudget {
  /** Per key: the time at which all its debt is paid (the "theoretical arrival time"). */
  private readonly paidAt = new Map<string, number>();

  constructor(private readonly rule: BudgetRule, private readonly now: () => number, private readonly maxEntries = 100_000) {}

  /** Milliseconds until the key may start another attempt; 0 when it may now. */
  retryAfterMs(key: string): number {
    const now = this.now();
    const paidAt = Math.max(this.paidAt.get(key) ?? now, now);
    return Math.max(0, paidAt + this.rule.intervalMs - now - this.rule.burst * this.rule.intervalMs);
  }

  /** Charges one failed (or started) attempt. */
  fail(key: string): void {
    const now = this.now();
    const paidAt = Math.max(this.paidAt.get(key) ?? now, now) + this.rule.intervalMs;
    this.paidAt.delete(key);
    this.paidAt.set(key, paidAt);
    if (this.paidAt.size > this.maxEntries) this.evict(now);
  }

  /** Gives back one charge (the attempt succeeded). */
  undo(key: string): void {
    const paidAt = this.paidAt.get(key);
    if (paidAt === undefined) return;
    const left = paidAt - this.rule.intervalMs;
    if (left <= this.now()) this.paidAt.delete(key);
    else this.paidAt.set(key, left);
  }

  /**
   * Keeps the map bounded by forgetting the keys with the least debt first, so a flood of fresh
   * keys (one failure each) cannot wash out the debt of an account under attack.
   */
  private evict(now: number): void {
    const target = Math.floor(this.maxEntries * 0.9);
    const byDebt = [...this.paidAt.entries()].sort((a, b) => a[1] - b[1]);
    for (const [key, paidAt] of byDebt) {
      if (this.paidAt.size <= target && paidAt > now) return;
      this.paidAt.delete(key);
    }
  }
}
