/**
 * Pseudonymises an IP address for statistics: IPv4 keeps its /24 (last octet zeroed), IPv6 its
 * first 48 bits. IPv4-mapped IPv6 addresses are treated as IPv4. Returns null for anything that is
 * not an IP address, so no unparsed value can slip through.
 */
export function truncateIp(ip: string): string | null {
  let value = ip.trim();
  if (value.startsWith('::ffff:') && value.includes('.')) value = value.slice(7);
  if (value.includes('.') && !value.includes(':')) {
    const parts = value.split('.');
    if (parts.length !== 4) return null;
    const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
    if (octets.some((o) => !(o >= 0 && o <= 255))) return null;
    return `${octets[0]}.${octets[1]}.${octets[2]}.0`;
  }
  const groups = expandIpv6(value);
  if (!groups) return null;
  return `${groups.slice(0, 3).map((g) => g.toString(16)).join(':')}::`;
}

/** Expands an IPv6 address into its eight 16-bit groups, or null when it is not one. */
export function expandIpv6(ip: string): number[] | null {
  const zone = ip.indexOf('%');
  const value = (zone === -1 ? ip : ip.slice(0, zone)).toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(value) || !value.includes(':')) return null;
  const halves = value.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = p.split('.').map((x) => (/^\d{1,3}$/.test(x) ? Number(x) : NaN));
        if (v4.length !== 4 || v4.some((o) => !(o >= 0 && o <= 255))) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-f]{1,4}$/.test(p)) return null;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}
