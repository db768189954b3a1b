import { truncateIp } from '../../common/ip-prefix';

/** Most prefixes tracked at once; beyond it expired windows are dropped, then the oldest. */
const MAX_TRACKED = 50_000;

/**
 * Fixed-window rate limit per network prefix (IPv4 /24, IPv6 /48), in memory only: the address is
 * truncated before it is used as a key and never stored or logged.
 */
export class PrefixRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** Counts one attempt from `ip`; returns 0 when allowed, else the seconds until the window resets. */
  hit(ip: string): number {
    const key = truncateIp(ip) ?? 'unparsed';
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || t - w.start >= this.windowMs) {
      if (w) this.windows.delete(key);
      else if (this.windows.size >= MAX_TRACKED) this.prune(t);
      w = { start: t, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return w.count <= this.limit ? 0 : Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000));
  }

  private prune(t: number): void {
    for (const [key, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(key);
    // Still full: drop the oldest windows (Map keeps insertion order), so memory stays bounded.
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED * 0.9) break;
      this.windows.delete(key);
    }
  }
}
