import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { base32Decode, base32Encode } from '../../common/base32';

/** RFC 6238 parameters: HMAC-SHA1, 30-second steps, 6 digits; one step of clock drift either way. */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
export const TOTP_DRIFT_STEPS = 1;
/** 160-bit secrets, as RFC 4226 recommends for HMAC-SHA1. */
const SECRET_BYTES = 20;

/** A fresh random base32 secret (20 bytes). */
export function newTotpSecret(): string {
  const bytes = randomBytes(SECRET_BYTES);
  const secret = base32Encode(bytes);
  bytes.fill(0);
  return secret;
}

/** The time step a moment falls into. */
export function totpStepAt(ms: number): number {
  return Math.floor(ms / 1000 / TOTP_STEP_SECONDS);
}

/** The HOTP value (RFC 4226) of a key and counter, with `digits` digits. */
export function hotp(key: Uint8Array, counter: number, digits = TOTP_DIGITS, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  mac.fill(0);
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code of a base32 secret for one time step. */
export function totpCode(secret: string, step: number): string {
  const key = base32Decode(secret);
  try {
    return hotp(key, step);
  } finally {
    key.fill(0);
  }
}

/** Whether a string has the shape of a TOTP code (six digits, spaces allowed between). */
export function looksLikeTotpCode(input: string): boolean {
  return /^\d{6}$/.test(input.replace(/\s/g, ''));
}

/**
 * The step whose code `input` is, within one step of `nowMs` and strictly after `lastStep`
 * (replay protection); null when none matches. Every candidate is compared in constant time.
 */
export function matchTotpStep(secret: string, input: string, nowMs: number, lastStep: number | null): number | null {
  const given = Buffer.from(input.replace(/\s/g, ''), 'utf8');
  if (given.length !== TOTP_DIGITS) return null;
  const now = totpStepAt(nowMs);
  let matched: number | null = null;
  for (let step = now - TOTP_DRIFT_STEPS; step <= now + TOTP_DRIFT_STEPS; step++) {
    const expected = Buffer.from(totpCode(secret, step), 'utf8');
    const same = timingSafeEqual(expected, given);
    if (same && (lastStep === null || step > lastStep) && matched === null) matched = step;
  }
  return matched;
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function otpauthUri(secret: string, account: string, issuer: string): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const params = new URLSearchParams({ secret, issuer, algorithm: 'SHA1', digits: String(TOTP_DIGITS), period: String(TOTP_STEP_SECONDS) });
  return `otpauth://totp/${label}?${params.toString()}`;
}
