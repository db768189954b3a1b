import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipBytes } from '../../common/cidr';
import { countryNumber } from '../../common/countries';
import { packagedTable } from './country-lookup';
import { TABLE_PACKAGE, tablePackageDir } from './country-table';
import { parseIpv4, parseIpv6 } from './ip-parse';

describe('allocation-free address parsing', () => {
  it('agrees with common/cidr on IPv4 and IPv6 forms, and refuses malformed ones', () => {
    const words = new Uint32Array(4);
    for (const ip of ['0.0.0.0', '255.255.255.255', '8.8.8.8', '::', '::1', '1::', '2001:db8::8a2e:370:7334', '2001:DB8:0:0:1::1', 'fe80::1:2:3:4:5', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '64:ff9b::192.0.2.33']) {
      const bytes = ipBytes(ip)!;
      if (!ip.includes(':')) expect(parseIpv4(ip), ip).toBe(((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0);
      if (!ip.includes(':')) continue;
      expect(parseIpv6(ip, words), ip).toBe(true);
      const expected = bytes.length === 16 ? bytes : [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...bytes];
      const got = [...words].flatMap((w) => [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255]);
      expect(got, ip).toEqual(expected);
    }
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '01234.1.1.1', '1.2.3.4 ', 'a.b.c.d']) expect(parseIpv4(bad), bad).toBe(-1);
    for (const bad of [':', ':::', '1:2', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8:9', 'g::', '1:', '::1.2.3', 'fe80::1%eth0']) expect(parseIpv6(bad, words), bad).toBe(false);
  });
});

/**
 * Reference lookup straight from the CSV lines: the last line (in file order) whose range holds
 * the address wins, as the table lists a more specific range after the range it lies in.
 */
function reference(lines: Array<[bigint, bigint, string]>, ip: bigint): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lines[mid]![0] <= ip) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) if (lines[i]![1] >= ip) return countryNumber(lines[i]![2]);
  return 0;
}

function csv(name: string): Array<[bigint, bigint, string]> {
  const text = fs.readFileSync(path.join(tablePackageDir(), `${path.basename(TABLE_PACKAGE)}-${name}.csv`), 'latin1');
  return text
    .trim()
    .split('\n')
    .map((l) => {
      const [s, e, c] = l.split(',');
      return [BigInt(s!), BigInt(e!), c!.trim()];
    });
}

const v4Text = (v: bigint) => [24n, 16n, 8n, 0n].map((s) => (v >> s) & 255n).join('.');
const v6Text = (v: bigint) => Array.from({ length: 8 }, (_, i) => ((v >> BigInt(112 - 16 * i)) & 0xffffn).toString(16)).join(':');

describe('the shipped table in typed arrays', () => {
  const table = packagedTable();

  for (const [family, name, text, bits] of [
    [4, 'ipv4-num', v4Text, 32n],
    [6, 'ipv6-num', v6Text, 128n],
  ] as const) {
    it(`matches the CSV for IPv${family}: range edges of every overlapping line and random addresses`, () => {
      const lines = csv(name);
      const probes: bigint[] = [];
      let maxEnd = -1n;
      for (const [s, e] of lines) {
        // Where ranges nest or overlap, both ends of the inner range and their neighbours.
        if (s <= maxEnd) probes.push(s - 1n, s, e, e + 1n);
        if (e > maxEnd) maxEnd = e;
      }
      let seed = 12345n;
      // The reference scans back over the CSV from far outside any range: fewer random IPv6 probes keep it quick.
      for (let i = 0; i < (family === 4 ? 5000 : 1500); i++) {
        seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
        // Mostly inside listed ranges: a random line, a random offset.
        const [s, e] = lines[Number(seed % BigInt(lines.length))]!;
        probes.push(s + ((seed >> 8n) % (e - s + 1n)));
        if (family === 4) probes.push(seed & 0xffffffffn);
      }
      let mismatches = 0;
      const first: string[] = [];
      for (const p of probes) {
        if (p < 0n || p >= 1n << bits) continue;
        const got = table.lookup(text(p));
        const want = reference(lines, p);
        if (got !== want) {
          mismatches++;
          if (first.length < 5) first.push(`${text(p)}: ${got} ≠ ${want}`);
        }
      }
      expect(first).toEqual([]);
      expect(mismatches).toBe(0);
      expect(probes.length).toBeGreaterThan(family === 4 ? 10_000 : 2_000);
    });
  }
});
