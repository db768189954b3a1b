/** How a throttle grows: free failures, then a lock that doubles from `baseMs` up to `maxMs`. */
export interface ThrottleRule {
  freeFailures: number;
  baseMs: number;
  maxMs: number;
  /** A key with no failure for this long is forgotten. */
  forgetMs: number;
}

/**
 * One account from one address: 5 failures, then 1 s, 2 s, 4 s … at most 15 min. Remembered for a
 * day without failures (it was 30 min): that keeps one address well inside the account's budget.
 */
export const ACCOUNT_ADDRESS_RULE: ThrottleRule = { freeFailures: 5, baseMs: 1000, maxMs: 15 * 60 * 1000, forgetMs: 24 * 60 * 60 * 1000 };
/** Client addresses: more room (several staff may share one), same growth. */
export const ADDRESS_RULE: ThrottleRule = { freeFailures: 10, baseMs: 1000, maxMs: 15 * 60 * 1000, forgetMs: 30 * 60 * 1000 };

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

/**
 * In-memory failure counter per key (an account at an address, or an address). An attempt counts as a failure
 * from the moment it starts, so parallel guesses cannot slip past the lock while scrypt runs; a
 * successful attempt takes its failure back.
 */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly rule: ThrottleRule, private readonly now: () => number, private readonly maxEntries = 100_000) {}

  /** Milliseconds until the key may try again; 0 when it is not locked. */
  retryAfterMs(key: string): number {
    const entry = this.entries.get(key);
    if (!entry) return 0;
    return Math.max(0, entry.lockedUntil - this.now());
  }

  /** Records one failed (or started) attempt and locks the key when it has used its free failures. */
  fail(key: string): void {
    const now = this.now();
    let entry = this.entries.get(key);
    if (entry && now - entry.lastFailure > this.rule.forgetMs && entry.lockedUntil <= now) entry = undefined;
    entry ??= { failures: 0, lockedUntil: 0, lastFailure: now };
    entry.failures++;
    entry.lastFailure = now;
    if (entry.failures >= this.rule.freeFailures) {
      const exponent = Math.min(entry.failures - this.rule.freeFailures, 30);
      entry.lockedUntil = now + Math.min(this.rule.baseMs * 2 ** exponent, this.rule.maxMs);
    }
    // Re-insert so the map stays ordered by last failure (oldest first) for eviction.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.evict(now);
  }

  /** Takes back one failure recorded by `fail` (the attempt succeeded), lifting a lock it caused. */
  undo(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.failures = Math.max(0, entry.failures - 1);
    if (entry.failures < this.rule.freeFailures) entry.lockedUntil = 0;
    if (entry.failures === 0) this.entries.delete(key);
  }

  /** Forgets a key entirely (successful sign-in to that account). */
  reset(key: string): void {
    this.entries.delete(key);
  }

  /**
   * Keeps the map bounded: forgets unlocked keys first (oldest first), and locked ones only when
   * every unlocked key is gone, so a flood of fresh keys cannot wash out an account's lock.
   */
  private evict(now: number): void {
    const target = this.maxEntries * 0.9;
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= target) return;
      if (entry.lockedUntil <= now) this.entries.delete(key);
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) return;
      this.entries.delete(key);
    }
  }
}
