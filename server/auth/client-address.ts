import { expandIpv6 } from '../../common/ip-prefix';

/** Whether an address is this machine: 127.0.0.0/8, ::1 or their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v = address.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  return v === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v);
}

/**
 * The key sign-in throttling counts an address under: IPv4 as it is, IPv6 by its /64 (one
 * subscriber's prefix holds more addresses than anyone could lock out one by one).
 */
export function throttleKeyOfAddress(address: string): string {
  if (!address) return 'unknown';
  if (!address.includes(':') || /^::ffff:\d+\./i.test(address)) return address;
  const groups = expandIpv6(address);
  return groups ? `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64` : address;
}
