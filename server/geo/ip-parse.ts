/**
 * Allocation-free address parsing for the country lookup: IPv4 into a uint32, IPv6 into four
 * uint32 words (most significant first). Both return false for anything that is not an address.
 */

/** IPv4 dotted quad → uint32 (as a non-negative number), or -1. */
export function parseIpv4(s: string, from = 0, to = s.length): number {
  let value = 0;
  let part = -1;
  let dots = 0;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (part < 0 || dots === 3) return -1;
      value = value * 256 + part;
      part = -1;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 3) return -1;
      part = part < 0 ? c - 48 : part * 10 + (c - 48);
      if (part > 255) return -1;
    } else return -1;
  }
  if (dots !== 3 || part < 0) return -1;
  return value * 256 + part;
}

const groups = new Uint16Array(8);

/** IPv6 text (with `::` and an embedded IPv4 tail allowed, no zone id) → `out[0..3]`; false when malformed. */
export function parseIpv6(s: string, out: Uint32Array): boolean {
  const len = s.length;
  if (len < 2 || len > 45) return false;
  let n = 0; // groups written
  let gap = -1; // index in `groups` where '::' stands
  let i = 0;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return false;
    gap = 0;
    i = 2;
    if (i === len) {
      out.fill(0);
      return true;
    }
  }
  while (i < len) {
    // One group: up to 4 hex digits, or a dotted IPv4 tail.
    let v = 0;
    let d = 0;
    const start = i;
    for (; i < len; i++) {
      const c = s.charCodeAt(i);
      let h: number;
      if (c >= 48 && c <= 57) h = c - 48;
      else if (c >= 97 && c <= 102) h = c - 87;
      else if (c >= 65 && c <= 70) h = c - 55;
      else break;
      if (++d > 4) return false;
      v = v * 16 + h;
    }
    if (i < len && s.charCodeAt(i) === 46) {
      if (n > 6) return false;
      const v4 = parseIpv4(s, start, len);
      if (v4 < 0) return false;
      groups[n++] = v4 >>> 16;
      groups[n++] = v4 & 0xffff;
      break;
    }
    if (d === 0 || n === 8) return false;
    groups[n++] = v;
    if (i === len) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < len && s.charCodeAt(i) === 58) {
      if (gap !== -1) return false;
      gap = n;
      i++;
      if (i === len) break;
    } else if (i === len) return false; // trailing single ':'
  }
  if (gap === -1 ? n !== 8 : n > 7) return false;
  if (gap !== -1) {
    const tail = n - gap;
    for (let k = 0; k < tail; k++) groups[7 - k] = groups[n - 1 - k]!;
    for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  }
  for (let w = 0; w < 4; w++) out[w] = ((groups[2 * w]! << 16) | groups[2 * w + 1]!) >>> 0;
  return true;
}
