import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipBytes } from '../../common/cidr';
import { countryNumber } from '../../common/countries';
import { packagedTable } from './country-lookup';
import { loadPackagedTable, TABLE_PACKAGE, tablePackageDir } from './country-table';
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

describe('loading a table from its files', () => {
  const base = path.basename(TABLE_PACKAGE);
  const withFiles = (v4: string, v6: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-country-'));
    fs.writeFileSync(path.join(dir, `${base}-ipv4-num.csv`), v4);
    fs.writeFileSync(path.join(dir, `${base}-ipv6.csv`), v6);
    return dir;
  };

  it('reads files far longer than one piece, CRLF or not, with runs of no country between and after the ranges', () => {
    // 6,000 ranges of 100 addresses, every third one followed by a gap: about 160 KB, so lines span pieces.
    const lines: string[] = [];
    const codes = ['DE', 'AT', 'CH', 'FR'];
    let at = 1000;
    for (let i = 0; i < 6000; i++) {
      lines.push(`${at},${at + 99},${codes[i % 4]}`);
      at += i % 3 === 2 ? 150 : 100;
    }
    const dir = withFiles(lines.join('\r\n'), '2001:db8::,2001:db8::ffff,DE\n2001:db8:0:0:0:0:1:0,2001:db8:0:0:0:0:1:ffff,AT\nffff::,ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,CH\n');
    try {
      const t = loadPackagedTable(dir);
      expect([t.ipv4Ranges, t.ipv6Ranges]).toEqual([6000, 3]);
      at = 1000;
      for (let i = 0; i < 6000; i++) {
        const want = countryNumber(codes[i % 4]!);
        expect([t.lookupV4(at), t.lookupV4(at + 99)]).toEqual([want, want]);
        if (i % 3 === 2) expect(t.lookupV4(at + 100)).toBe(0);
        at += i % 3 === 2 ? 150 : 100;
      }
      expect([t.lookupV4(0), t.lookupV4(999), t.lookupV4(at), t.lookupV4(0xffffffff)]).toEqual([0, 0, 0, 0]);
      expect(['2001:db8::1', '2001:db8::1:1', '2001:db8::2:0', '2001:db7::', 'ffff::1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'].map((ip) => t.lookup(ip))).toEqual(
        [countryNumber('DE'), countryNumber('AT'), 0, 0, countryNumber('CH'), countryNumber('CH')],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed, reversed or unsorted line, naming the file and the line', () => {
    const good = '2001:db8::,2001:db8::ffff,DE\n';
    for (const [v4, message] of [
      ['1,2,DE\n3,4\n', 'IPv4 table line 2 is not "start,end,CC".'],
      ['1,2,DE\n9,4,AT\n', 'IPv4 table line 2 has a bad range.'],
      ['1,2,DE\n5,6,AT\n3,4,CH\n', 'IPv4 table line 3 is out of order.'],
      ['1,2,DE\n' + '7'.repeat(300), 'IPv4 table line 2 is not "start,end,CC".'],
    ] as const) {
      const dir = withFiles(v4, good);
      try {
        expect(() => loadPackagedTable(dir)).toThrow(message);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});
