import { expandIpv6 } from './ip-prefix';

/** A parsed IP prefix: address bytes (4 for IPv4, 16 for IPv6) and the number of leading bits that must match. */
export interface Cidr {
  bytes: number[];
  bits: number;
}

/** Parses `a.b.c.d/n`, `x:y::/n` or a bare address (a /32 or /128); null when it is not one. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = slash === -1 ? text : text.slice(0, slash);
  const bytes = ipBytes(addr);
  if (!bytes) return null;
  const max = bytes.length * 8;
  if (slash === -1) return { bytes, bits: max };
  const len = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(len) || Number(len) > max) return null;
  return { bytes, bits: Number(len) };
}

/** The bytes of an IPv4 or IPv6 address (IPv4-mapped IPv6 becomes IPv4), or null. */
export function ipBytes(ip: string): number[] | null {
  let value = ip.trim();
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(value)) value = value.slice(7);
  if (!value.includes(':')) {
    const parts = value.split('.');
    if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
    return parts.map(Number);
  }
  const groups = expandIpv6(value);
  if (!groups) return null;
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Whether an address lies inside a prefix (an IPv4 address never matches an IPv6 prefix and vice versa). */
export function cidrContains(cidr: Cidr, ip: string): boolean {
  const bytes = ipBytes(ip);
  if (!bytes || bytes.length !== cidr.bytes.length) return false;
  let left = cidr.bits;
  for (let i = 0; left > 0; i++, left -= 8) {
    const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
    if ((bytes[i]! & mask) !== (cidr.bytes[i]! & mask)) return false;
  }
  return true;
}
