import { randomFillSync, timingSafeEqual } from 'node:crypto';
import { HmacSha256 } from './hmac-sha256';

/**
 * Format version, first byte of every token. Version 2 (issued now) carries the decision's country
 * number after issued-at; version 1 tokens (issued before) have none and still verify until they expire.
 */
export const TOKEN_VERSION = 2;
const V1 = 1;
const DECISION_ID_BYTES = 16;
const MAC_BYTES = 16; // HMAC-SHA256 truncated to 128 bits: forging still takes 2^128 tries
const HEAD_V1 = 1 + DECISION_ID_BYTES + 4; // version, decision id, issued-at (u32 seconds)
const HEAD_BYTES = HEAD_V1 + 1; // … and the country number (common/countries.ts; 0 unknown)
/** Longest creative id + zone id (bytes) a token carries; keeps tokens within the router's 200-character parameters. */
export const MAX_TOKEN_ID_BYTES = 110;
const MIN_BYTES = HEAD_V1 + 2 + MAC_BYTES;
const MAX_BYTES = HEAD_BYTES + 2 + MAC_BYTES + MAX_TOKEN_ID_BYTES;
const TOKEN_CHARS = /^[A-Za-z0-9_-]+$/;
const MIN_CHARS = Math.ceil((MIN_BYTES * 4) / 3);
const MAX_CHARS = Math.ceil((MAX_BYTES * 4) / 3);
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Whether the last character carries no stray bits: otherwise two spellings of one token would
 * decode alike (a changed character that still verifies). Length 4k+1 is never valid base64.
 */
function canonicalTail(token: string): boolean {
  const rest = token.length % 4;
  if (rest === 1) return false;
  if (rest === 0) return true;
  const v = B64URL.indexOf(token[token.length - 1]!);
  return rest === 2 ? (v & 0x0f) === 0 : (v & 0x03) === 0;
}

/** What a verified token says: which decision, which creative in which zone, issued when (unix seconds), for which country. */
export interface TokenClaims {
  decisionId: string;
  /** The decision id's first 64 bits as two uint32 (key of the "already counted" sets). */
  idHigh: number;
  idLow: number;
  creativeId: string;
  zoneId: string;
  issuedAt: number;
  /** Country number of the decision's client address (0 unknown, and for version 1 tokens): counts go to the decision's country without a second lookup. */
  country: number;
}

/** The HMAC keys: tokens are signed with `current`; `previous` still verifies after a rotation. */
export interface TokenKeys {
  current: Buffer;
  previous: Buffer | null;
}

/** The constant part of every token for one creative in one zone (length-prefixed ids), built once per index entry. */
export function tokenTail(creativeId: string, zoneId: string): Buffer {
  const c = Buffer.from(creativeId, 'utf8');
  const z = Buffer.from(zoneId, 'utf8');
  if (c.length + z.length > MAX_TOKEN_ID_BYTES) throw new RangeError('ids too long for a token');
  return Buffer.concat([Buffer.of(c.length), c, Buffer.of(z.length), z]);
}

/**
 * Issues and verifies delivery tokens: base64url(version ‖ decision id ‖ issued-at ‖ country ‖ ids ‖ MAC).
 * One token serves both the impression and the click URL of a decision; the route decides what it counts.
 */
export class TokenSigner {
  private pool = Buffer.alloc(4096);
  private poolOffset = this.pool.length;
  private current: HmacSha256;
  private previous: HmacSha256 | null;

  constructor(private keys: TokenKeys) {
    this.current = new HmacSha256(keys.current, MAX_BYTES);
    this.previous = keys.previous ? new HmacSha256(keys.previous, MAX_BYTES) : null;
  }

  /** Replaces the keys (after a rotation) and wipes the key that is no longer used. */
  setKeys(keys: TokenKeys): void {
    const old = this.keys;
    const oldPrevious = this.previous;
    this.keys = keys;
    this.current = new HmacSha256(keys.current, MAX_BYTES);
    this.previous = keys.previous ? new HmacSha256(keys.previous, MAX_BYTES) : null;
    oldPrevious?.wipe();
    if (old.previous && old.previous !== keys.current && old.previous !== keys.previous) old.previous.fill(0);
  }

  /** Wipes the keys (at shutdown). */
  wipe(): void {
    this.current.wipe();
    this.previous?.wipe();
    this.keys.current.fill(0);
    this.keys.previous?.fill(0);
  }

  /** Issues a token for a new decision; `decisionId` is its 16 random bytes in base64url. */
  issue(tail: Buffer, nowSec: number, country = 0): { token: string; decisionId: string } {
    // The token is assembled in the HMAC's scratch buffer: no copies, no allocations but the strings.
    const h = this.current;
    const s = h.scratch;
    const o = HmacSha256.MESSAGE_OFFSET;
    const end = HEAD_BYTES + tail.length;
    s[o] = TOKEN_VERSION;
    // Random bytes come from a pool refilled 4 KiB at a time: one system call per 256 decisions.
    if (this.poolOffset + DECISION_ID_BYTES > this.pool.length) {
      randomFillSync(this.pool);
      this.poolOffset = 0;
    }
    // Byte loops: for 16 and ~40 bytes they cost less than a call into Buffer's native copy and fill.
    const pool = this.pool;
    const from = this.poolOffset;
    for (let i = 0; i < DECISION_ID_BYTES; i++) {
      s[o + 1 + i] = pool[from + i]!;
      pool[from + i] = 0;
    }
    this.poolOffset = from + DECISION_ID_BYTES;
    s.writeUInt32BE(nowSec >>> 0, o + 1 + DECISION_ID_BYTES);
    s[o + HEAD_V1] = country;
    for (let i = 0, at = o + HEAD_BYTES; i < tail.length; i++) s[at + i] = tail[i]!;
    s.write(h.macOfScratch(end), o + end, MAC_BYTES, 'latin1');
    return { token: s.toString('base64url', o, o + end + MAC_BYTES), decisionId: s.toString('base64url', o + 1, o + 1 + DECISION_ID_BYTES) };
  }

  private readonly expected = Buffer.alloc(MAC_BYTES);
  private readonly given = Buffer.alloc(MAC_BYTES);

  /** Verifies a token's shape and MAC (current key, then previous); null when forged, altered or malformed. */
  verify(token: string): TokenClaims | null {
    const len = token.length;
    if (len < MIN_CHARS || len > MAX_CHARS || !TOKEN_CHARS.test(token) || !canonicalTail(token)) return null;
    // Decoded straight into the HMAC's scratch buffer, where the MAC is computed over it.
    const h = this.current;
    const s = h.scratch;
    const o = HmacSha256.MESSAGE_OFFSET;
    const n = s.write(token, o, 'base64url');
    const version = s[o];
    if (version !== TOKEN_VERSION && version !== V1) return null;
    const head = version === V1 ? HEAD_V1 : HEAD_BYTES;
    if (head >= n) return null;
    const cLen = s[o + head]!;
    const zAt = head + 1 + cLen;
    if (zAt >= n) return null;
    const zLen = s[o + zAt]!;
    const end = zAt + 1 + zLen;
    if (end + MAC_BYTES !== n) return null;
    const mac = this.given;
    for (let i = 0; i < MAC_BYTES; i++) mac[i] = s[o + end + i]!;
    const claims: TokenClaims = {
      decisionId: s.toString('base64url', o + 1, o + 1 + DECISION_ID_BYTES),
      idHigh: s.readUInt32BE(o + 1),
      idLow: s.readUInt32BE(o + 5),
      issuedAt: s.readUInt32BE(o + 1 + DECISION_ID_BYTES),
      country: version === V1 ? 0 : s[o + HEAD_V1]!,
      creativeId: s.toString('utf8', o + head + 1, o + zAt),
      zoneId: s.toString('utf8', o + zAt + 1, o + end),
    };
    this.expected.write(h.macOfScratch(end), 0, MAC_BYTES, 'latin1');
    if (timingSafeEqual(this.expected, mac)) return claims;
    if (!this.previous) return null;
    this.expected.write(this.previous.macString(s.subarray(o, o + end)), 0, MAC_BYTES, 'latin1');
    return timingSafeEqual(this.expected, mac) ? claims : null;
  }

}

/**
 * The creative and zone ids a token (decoded) names, read without checking its MAC: abuse cases show
 * what a request claimed, forgeries included. Null when it has no token layout of a known version.
 */
export function unverifiedTokenIds(token: Buffer): { creative: string; zone: string } | null {
  const version = token[0];
  if (version !== TOKEN_VERSION && version !== V1) return null;
  const head = version === V1 ? HEAD_V1 : HEAD_BYTES;
  if (token.length < head + 2 + MAC_BYTES) return null;
  const zAt = head + 1 + token[head]!;
  if (zAt >= token.length) return null;
  const end = zAt + 1 + token[zAt]!;
  if (end + MAC_BYTES !== token.length) return null;
  return { creative: token.toString('utf8', head + 1, zAt), zone: token.toString('utf8', zAt + 1, end) };
}
