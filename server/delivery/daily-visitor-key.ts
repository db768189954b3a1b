import { randomBytes } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256';
import { DayClock, DEFAULT_TIME_ZONE } from '../../common/local-clock';

/** Bytes of the user agent that enter the hash; longer ones are cut (no browser sends more). */
const MAX_USER_AGENT_BYTES = 512;
/** Bytes of address and site id taken (an IPv6 address is at most 45 characters, ids far less). */
const MAX_PART_BYTES = 64;

/**
 * The keyed visitor hash of reach and per-visitor caps: HMAC-SHA-256(key, address ‖ 0 ‖ user
 * agent ‖ 0 ‖ site id) cut to 64 bits. The key is 32 random bytes made on first use, held only in
 * memory (never stored or logged) and replaced at each local midnight of the operator time zone, the old one wiped: a hash
 * of yesterday matches nothing today, and no stored value can be tied to a person. Until the first
 * hash no key exists at all, so an installation that uses neither feature hashes nothing.
 */
export class DailyVisitorKey {
  private day = -1;
  private mac: HmacSha256 | null = null;

  /** Called after the key was replaced (the per-visitor caps wipe their counts with it). */
  onReplaced: (() => void) | null = null;

  /** `days` says where a day begins (the operator time zone). */
  constructor(private readonly days: DayClock = new DayClock(DEFAULT_TIME_ZONE)) {}

  /**
   * The visitor's 64-bit hash as 8 latin1 characters (one per byte: a cheap map key) under the key
   * of the operator-local day of `nowMs`.
   */
  hash(nowMs: number, address: string, userAgent: string | undefined, siteId: string): string {
    this.replaceIfDue(nowMs);
    const mac = this.mac ?? (this.mac = newMac());
    const s = mac.scratch;
    let at = HmacSha256.MESSAGE_OFFSET;
    at += s.write(address, at, MAX_PART_BYTES, 'latin1');
    s[at++] = 0;
    if (userAgent) at += s.write(userAgent, at, MAX_USER_AGENT_BYTES, 'latin1');
    s[at++] = 0;
    at += s.write(siteId, at, MAX_PART_BYTES, 'latin1');
    const digest = mac.macOfScratch(at - HmacSha256.MESSAGE_OFFSET);
    return digest.slice(0, 8);
  }

  /** Replaces (and wipes) the key when `nowMs` lies on another operator-local day than the key's. */
  replaceIfDue(nowMs: number): void {
    const day = this.days.dayOf(nowMs);
    if (day === this.day) return;
    const had = this.day !== -1;
    this.day = day;
    this.wipe();
    if (had) this.onReplaced?.();
  }

  /** Whether a key exists now (false until the first hash, and after a wipe). */
  get hasKey(): boolean {
    return this.mac !== null;
  }

  /** Overwrites the key material; the next hash makes a new key. */
  wipe(): void {
    this.mac?.wipe();
    this.mac = null;
  }
}

function newMac(): HmacSha256 {
  const key = randomBytes(32);
  const mac = new HmacSha256(key, MAX_PART_BYTES + 1 + MAX_USER_AGENT_BYTES + 1 + MAX_PART_BYTES);
  key.fill(0);
  return mac;
}

/** The high and low 32 bits of a hash from DailyVisitorKey.hash. */
export function hashWords(h: string): [number, number] {
  const hi = ((h.charCodeAt(0) << 24) | (h.charCodeAt(1) << 16) | (h.charCodeAt(2) << 8) | h.charCodeAt(3)) >>> 0;
  const lo = ((h.charCodeAt(4) << 24) | (h.charCodeAt(5) << 16) | (h.charCodeAt(6) << 8) | h.charCodeAt(7)) >>> 0;
  return [hi, lo];
}
