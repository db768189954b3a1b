import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createClientIpResolver, normalizeIp } from './client-ip';

const req = (peer: string | undefined, xff?: string | string[]) =>
  ({ socket: { remoteAddress: peer }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

describe('client IP', () => {
  it('uses the socket peer and ignores X-Forwarded-For without trusted proxies', () => {
    const ip = createClientIpResolver([]);
    expect(ip(req('198.51.100.7', '203.0.113.9'))).toBe('198.51.100.7');
    expect(ip(req('::ffff:198.51.100.7'))).toBe('198.51.100.7');
    expect(ip(req('2001:DB8::1'))).toBe('2001:db8::1');
    expect(ip(req(undefined))).toBe('');
  });

  it('ignores X-Forwarded-For from a peer that is not trusted', () => {
    const ip = createClientIpResolver(['10.0.0.0/8']);
    expect(ip(req('198.51.100.7', '203.0.113.9'))).toBe('198.51.100.7');
  });

  it('takes the right-most untrusted hop behind trusted proxies', () => {
    const ip = createClientIpResolver(['10.0.0.0/8', '192.0.2.1', '2001:db8:ffff::/48']);
    expect(ip(req('10.1.2.3', '203.0.113.9'))).toBe('203.0.113.9');
    // The client forged a left-most entry; the proxies appended the real one.
    expect(ip(req('10.1.2.3', '1.1.1.1, 203.0.113.9, 192.0.2.1'))).toBe('203.0.113.9');
    expect(ip(req('::ffff:10.1.2.3', '198.51.100.1,10.9.9.9'))).toBe('198.51.100.1');
    expect(ip(req('2001:db8:ffff:1::5', '2001:db8:1::9'))).toBe('2001:db8:1::9');
    // Several headers are joined; ports and brackets are dropped.
    expect(ip(req('10.1.2.3', ['1.1.1.1', '203.0.113.9:4711']))).toBe('203.0.113.9');
    expect(ip(req('10.1.2.3', '[2001:db8::7]:443'))).toBe('2001:db8::7');
  });

  it('answers the left-most hop when every hop is trusted, and the proxy when a hop is garbage', () => {
    const ip = createClientIpResolver(['10.0.0.0/8']);
    expect(ip(req('10.1.2.3', '10.0.0.5, 10.0.0.6'))).toBe('10.0.0.5');
    expect(ip(req('10.1.2.3', 'unknown'))).toBe('10.1.2.3');
    expect(ip(req('10.1.2.3', '203.0.113.9, not-an-ip, 10.0.0.6'))).toBe('10.0.0.6');
    expect(ip(req('10.1.2.3', ''))).toBe('10.1.2.3');
  });

  it('matches IPv4 prefixes on IPv4-mapped peers and never mixes families', () => {
    const ip = createClientIpResolver(['127.0.0.1']);
    expect(ip(req('::ffff:127.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
    expect(ip(req('::1', '203.0.113.9'))).toBe('::1');
    const v6 = createClientIpResolver(['::1']);
    expect(v6(req('::1', '203.0.113.9'))).toBe('203.0.113.9');
    expect(v6(req('127.0.0.1', '203.0.113.9'))).toBe('127.0.0.1');
  });

  it('refuses an invalid --trust-proxy entry at start-up with a clear message', () => {
    expect(() => createClientIpResolver(['10.0.0.0/33'])).toThrow(/"10\.0\.0\.0\/33" is not an IP address or CIDR/);
    expect(() => createClientIpResolver(['proxy.local'])).toThrow(/--trust-proxy/);
    expect(() => createClientIpResolver(['2001:db8::/129'])).toThrow(/--trust-proxy/);
  });

  it('normalizes addresses', () => {
    expect(normalizeIp('::FFFF:1.2.3.4')).toBe('1.2.3.4');
    expect(normalizeIp('FE80::1')).toBe('fe80::1');
  });
});
