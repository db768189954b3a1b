import { describe, expect, it } from 'vitest';
import { expandIpv6, truncateIp } from './ip-prefix';

describe('truncateIp', () => {
  it('zeroes the last IPv4 octet', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('10.1.2.255')).toBe('10.1.2.0');
  });
  it('treats IPv4-mapped IPv6 as IPv4', () => {
    expect(truncateIp('::ffff:198.51.100.9')).toBe('198.51.100.0');
  });
  it('keeps the first 48 bits of IPv6', () => {
    expect(truncateIp('2001:db8:abcd:12:3456:789a:bcde:f012')).toBe('2001:db8:abcd::');
    expect(truncateIp('2001:db8::1')).toBe('2001:db8:0::');
    expect(truncateIp('fe80::1%eth0')).toBe('fe80:0:0::');
  });
  it('never passes through something that is not an address', () => {
    for (const bad of ['', 'localhost', '1.2.3', '1.2.3.256', '1.2.3.4.5', '::1::2', '12345::', 'x:y', '1.2.3.-1']) {
      expect(truncateIp(bad)).toBeNull();
    }
  });
  it('no output ever contains the full input address', () => {
    for (let i = 0; i < 1000; i++) {
      const oct = Array.from({ length: 4 }, () => Math.floor(Math.random() * 256));
      oct[3] = 1 + Math.floor(Math.random() * 255);
      const ip = oct.join('.');
      expect(truncateIp(ip)).toBe(`${oct[0]}.${oct[1]}.${oct[2]}.0`);
    }
  });
  it('expands IPv6 forms', () => {
    expect(expandIpv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(expandIpv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(expandIpv6('1:2:3:4:5:6:7')).toBeNull();
  });
});
