import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { countryNumber } from '../../common/countries';
import { parseIpv4, parseIpv6 } from './ip-parse';

/**
 * Maps a client address to a country number (common/countries.ts; 0 = unknown). The address is
 * only read here: nothing keeps it, only the country number leaves.
 */
export interface CountryLookup {
  lookup(ip: string): number;
  /** Where the data came from, for the start-up log line. */
  readonly source: string;
}

/** The npm package shipping the default table (CC0; data CC BY 4.0 by the NRO, see README.md). */
export const TABLE_PACKAGE = '@ip-location-db/geo-whois-asn-country';

/**
 * The IP→country table in sorted typed arrays, looked up by binary search: the address space cut
 * into runs, each run's first address and its country (0 for the gaps no range covers), so a run
 * ends where the next begins and no end addresses are kept. IPv4 starts are uint32s; IPv6 starts
 * four uint32 words each (most significant first), so a lookup neither allocates nor touches a
 * BigInt. The shipped table takes 6.4 MiB this way instead of 10 MiB with ends.
 */
export class CountryTable implements CountryLookup {
  private readonly v6 = new Uint32Array(4);

  constructor(
    readonly source: string,
    private readonly v4: Runs,
    private readonly v6Runs: Runs,
    /** The ranges the data listed, for the start-up line. */
    readonly ipv4Ranges: number,
    readonly ipv6Ranges: number,
  ) {}

  /** Bytes held by the arrays. */
  get bytes(): number {
    return this.v4.start.byteLength + this.v4.country.byteLength + this.v6Runs.start.byteLength + this.v6Runs.country.byteLength;
  }

  lookup(ip: string): number {
    if (ip.indexOf(':') === -1) {
      const v = parseIpv4(ip);
      return v < 0 ? 0 : this.lookupV4(v);
    }
    return parseIpv6(ip, this.v6) ? this.lookupV6(this.v6) : 0;
  }

  /** Country number of an IPv4 address as uint32. */
  lookupV4(v: number): number {
    const starts = this.v4.start;
    let lo = 0;
    let hi = starts.length; // first start > v
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.v4.country[lo - 1]! : 0;
  }

  /** Country number of an IPv6 address given as four uint32 words. */
  lookupV6(a: Uint32Array): number {
    const starts = this.v6Runs.start;
    let lo = 0;
    let hi = this.v6Runs.country.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(starts, mid * 4, a, 0, 4) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.v6Runs.country[lo - 1]! : 0;
  }
}

/** Runs of one address family: each run's first address (w words) and its country; sorted, from the first range on. */
export interface Runs {
  start: Uint32Array;
  country: Uint8Array;
}

/** The directory of the table package (resolved like any dependency, also from the bundle). */
export function tablePackageDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve(`${TABLE_PACKAGE}/package.json`));
}

/**
 * Loads the shipped table: the package's IPv4 (numeric) and IPv6 (text) CSVs, `start,end,CC` per
 * line, sorted by start. Codes that are no ISO 3166-1 country (e.g. withdrawn ones) count as unknown.
 * The files are read in small pieces, so loading leaves no 20 MB of text behind for the collector.
 */
export function loadPackagedTable(dir = tablePackageDir()): CountryTable {
  const base = path.basename(TABLE_PACKAGE);
  const v4 = parseCsv(path.join(dir, `${base}-ipv4-num.csv`), 1, 'IPv4 table');
  const v6 = parseCsv(path.join(dir, `${base}-ipv6.csv`), 4, 'IPv6 table');
  return new CountryTable(TABLE_PACKAGE, v4.runs, v6.runs, v4.ranges, v6.ranges);
}

/** Country numbers by the two letters' offsets from 'A' (26 × 26), for parsing without substrings. */
const BY_LETTERS = (() => {
  const t = new Uint8Array(26 * 26);
  for (let a = 0; a < 26; a++) for (let b = 0; b < 26; b++) t[a * 26 + b] = countryNumber(String.fromCharCode(65 + a, 65 + b));
  return t;
})();

/**
 * Disjoint ranges of `w` uint32 words per address (1 for IPv4, 4 for IPv6), built from ranges that
 * come sorted by start but may overlap: the table lists a more specific range after the range it
 * lies in (a /32 inside a /22), and the later, more specific one wins where they overlap.
 */
class RangeBuilder {
  start: Uint32Array<ArrayBuffer>;
  end: Uint32Array<ArrayBuffer>;
  country: Uint8Array<ArrayBuffer>;
  n = 0;
  // Parts of overlapped ranges beyond the new range's end, re-added after it.
  private remStart: Uint32Array<ArrayBuffer> = new Uint32Array(64);
  private remEnd: Uint32Array<ArrayBuffer> = new Uint32Array(64);
  private remCountry = new Uint8Array(16);
  private readonly one: Uint32Array;

  constructor(private readonly w: number) {
    this.start = new Uint32Array(w << 16);
    this.end = new Uint32Array(w << 16);
    this.country = new Uint8Array(1 << 16);
    this.one = new Uint32Array(w);
  }

  /** Adds [s, e] (words at s[0..w), e[0..w)) of country c. */
  add(s: Uint32Array, e: Uint32Array, c: number): void {
    const w = this.w;
    let rems = 0;
    while (this.n > 0) {
      const last = (this.n - 1) * w;
      if (cmp(this.end, last, s, 0, w) < 0) break;
      if (cmp(this.end, last, e, 0, w) > 0) {
        // Keep [max(start, e + 1), end] of the overlapped range (in start order: later pops go first).
        if (rems === this.remCountry.length) this.growRem();
        this.remStart.copyWithin(w, 0, rems * w);
        this.remEnd.copyWithin(w, 0, rems * w);
        this.remCountry.copyWithin(1, 0, rems);
        const one = this.one;
        one.set(e);
        inc(one, w);
        if (cmp(this.start, last, one, 0, w) > 0) for (let k = 0; k < w; k++) one[k] = this.start[last + k]!;
        this.remStart.set(one, 0);
        for (let k = 0; k < w; k++) this.remEnd[k] = this.end[last + k]!;
        this.remCountry[0] = this.country[this.n - 1]!;
        rems++;
      }
      if (cmp(this.start, last, s, 0, w) >= 0) this.n--;
      else {
        for (let k = 0; k < w; k++) this.end[last + k] = s[k]!;
        dec(this.end, last, w);
        break;
      }
    }
    this.push(s, 0, e, 0, c);
    for (let r = 0; r < rems; r++) this.push(this.remStart, r * w, this.remEnd, r * w, this.remCountry[r]!);
  }

  private push(s: Uint32Array, si: number, e: Uint32Array, ei: number, c: number): void {
    const w = this.w;
    if (this.n > 0 && this.country[this.n - 1] === c) {
      // Adjacent to the previous range of the same country: extend it.
      const last = (this.n - 1) * w;
      const one = this.one;
      for (let k = 0; k < w; k++) one[k] = this.end[last + k]!;
      inc(one, w);
      if (cmp(s, si, one, 0, w) === 0) {
        for (let k = 0; k < w; k++) this.end[last + k] = e[ei + k]!;
        return;
      }
    }
    if (this.n === this.country.length) {
      this.start = grow(this.start);
      this.end = grow(this.end);
      const c2 = new Uint8Array(this.country.length * 2);
      c2.set(this.country);
      this.country = c2;
    }
    const at = this.n * w;
    for (let k = 0; k < w; k++) {
      this.start[at + k] = s[si + k]!;
      this.end[at + k] = e[ei + k]!;
    }
    this.country[this.n++] = c;
  }

  private growRem(): void {
    this.remStart = grow(this.remStart);
    this.remEnd = grow(this.remEnd);
    const c2 = new Uint8Array(this.remCountry.length * 2);
    c2.set(this.remCountry);
    this.remCountry = c2;
  }

  /** The disjoint ranges as runs: a run of country 0 starts after each range the next one does not adjoin. */
  runs(): Runs {
    const w = this.w;
    const one = this.one;
    // A gap follows range i when range i + 1 does not start right after it, or when i is the last and ends below the top address;
    // when it does, `one` holds the gap's first address (range i's end + 1) for the fill below.
    const gapAfter = (i: number): boolean => {
      for (let k = 0; k < w; k++) one[k] = this.end[i * w + k]!;
      let top = true;
      for (let k = 0; k < w && top; k++) top = one[k] === 0xffffffff;
      if (top) return false;
      inc(one, w);
      return i + 1 === this.n || cmp(this.start, (i + 1) * w, one, 0, w) !== 0;
    };
    let count = this.n;
    for (let i = 0; i < this.n; i++) if (gapAfter(i)) count++;
    const start = new Uint32Array(count * w);
    const country = new Uint8Array(count);
    let r = 0;
    for (let i = 0; i < this.n; i++) {
      for (let k = 0; k < w; k++) start[r * w + k] = this.start[i * w + k]!;
      country[r++] = this.country[i]!;
      if (gapAfter(i)) {
        start.set(one, r * w);
        country[r++] = 0;
      }
    }
    return { start, country };
  }
}

function grow(a: Uint32Array): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(a.length * 2);
  b.set(a);
  return b;
}

function cmp(a: Uint32Array, ai: number, b: Uint32Array, bi: number, w: number): number {
  for (let k = 0; k < w; k++) {
    const x = a[ai + k]!;
    const y = b[bi + k]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Adds one to the w-word number (callers never pass the all-ones address). */
function inc(a: Uint32Array, w: number): void {
  for (let k = w - 1; k >= 0; k--) {
    a[k] = (a[k]! + 1) >>> 0;
    if (a[k] !== 0) return;
  }
}

/** Subtracts one from the w-word number at a[at..] (callers never pass zero). */
function dec(a: Uint32Array, at: number, w: number): void {
  for (let k = w - 1; k >= 0; k--) {
    const v = a[at + k]!;
    a[at + k] = (v - 1) >>> 0;
    if (v !== 0) return;
  }
}

/** Bytes read at a time: each piece's text stays below V8's large-object size and dies young. */
const PIECE_BYTES = 64 * 1024;

/** Parses the file's `start,end,CC` lines: decimal numbers for w = 1, IPv6 text for w = 4. */
function parseCsv(file: string, w: number, what: string): { runs: Runs; ranges: number } {
  const b = new RangeBuilder(w);
  const s = new Uint32Array(w);
  const e = new Uint32Array(w);
  const prev = new Uint32Array(w);
  let line = 0;
  let ranges = 0;
  const parseLine = (text: string, pos: number, stop: number) => {
    line++;
    if (stop > pos && text.charCodeAt(stop - 1) === 13) stop--;
    if (stop === pos) return;
    const c1 = text.indexOf(',', pos);
    const c2 = c1 === -1 || c1 > stop ? -1 : text.indexOf(',', c1 + 1);
    if (c2 === -1 || c2 + 3 !== stop) throw new Error(`${what} line ${line} is not "start,end,CC".`);
    const ok = w === 1 ? decimal(text, pos, c1, s) && decimal(text, c1 + 1, c2, e) : parseIpv6(text.slice(pos, c1), s) && parseIpv6(text.slice(c1 + 1, c2), e);
    if (!ok || cmp(e, 0, s, 0, w) < 0) throw new Error(`${what} line ${line} has a bad range.`);
    if (ranges > 0 && cmp(s, 0, prev, 0, w) < 0) throw new Error(`${what} line ${line} is out of order.`);
    prev.set(s);
    ranges++;
    const l1 = text.charCodeAt(c2 + 1) - 65;
    const l2 = text.charCodeAt(c2 + 2) - 65;
    b.add(s, e, l1 >= 0 && l1 < 26 && l2 >= 0 && l2 < 26 ? BY_LETTERS[l1 * 26 + l2]! : 0);
  };
  const fd = openSync(file, 'r');
  try {
    const piece = Buffer.allocUnsafe(PIECE_BYTES);
    let carry = ''; // the unfinished line at the end of the previous piece
    for (;;) {
      const n = readSync(fd, piece, 0, PIECE_BYTES, null);
      if (n === 0) break;
      const text = carry + piece.toString('latin1', 0, n);
      let pos = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', pos)) {
        parseLine(text, pos, nl);
        pos = nl + 1;
      }
      carry = text.slice(pos);
      if (carry.length > 200) throw new Error(`${what} line ${line + 1} is not "start,end,CC".`);
    }
    if (carry.length > 0) parseLine(carry, 0, carry.length);
  } finally {
    closeSync(fd);
  }
  return { runs: b.runs(), ranges };
}

/** A decimal uint32 in text[from, to) into out[0]; false when it is none. */
function decimal(text: string, from: number, to: number, out: Uint32Array): boolean {
  if (to <= from || to - from > 10) return false;
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    v = v * 10 + d;
  }
  if (v > 0xffffffff) return false;
  out[0] = v;
  return true;
}
