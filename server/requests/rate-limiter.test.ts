import { describe, expect, it } from 'vitest';
import { PrefixRateLimiter } from './rate-limiter';

describe('PrefixRateLimiter', () => {
  it('allows `limit` attempts per prefix and window, then tells how long to wait', () => {
    let t = 0;
    const limiter = new PrefixRateLimiter(5, 600_000, () => t);
    for (let i = 1; i <= 5; i++) expect(limiter.hit(`203.0.113.${i}`)).toBe(0);
    expect(limiter.hit('203.0.113.200')).toBe(600);
    expect(limiter.hit('203.0.114.1')).toBe(0); // another /24
    t = 599_000;
    expect(limiter.hit('203.0.113.9')).toBe(1);
    t = 600_000;
    expect(limiter.hit('203.0.113.9')).toBe(0);
  });

  it('groups IPv6 by /48 and IPv4-mapped addresses with IPv4', () => {
    const limiter = new PrefixRateLimiter(1, 1000, () => 0);
    expect(limiter.hit('2001:db8:1:2::1')).toBe(0);
    expect(limiter.hit('2001:db8:1:ffff::9')).toBeGreaterThan(0);
    expect(limiter.hit('198.51.100.7')).toBe(0);
    expect(limiter.hit('::ffff:198.51.100.8')).toBeGreaterThan(0);
  });
});
