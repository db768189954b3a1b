import { bech32 } from '@scure/base';

// age's key strings, the one place they are parsed and written: `age1…` X25519 recipients and
// `AGE-SECRET-KEY-1…` identities, both bech32 (BIP 173, not bech32m) over 32 key bytes. Only the
// canonical spelling is accepted (recipients lower case, identities upper case), so one key has
// one string. Pure and runtime-free: the server, the CLI, Electron and the IPC schemas share it.
// The library's own errors are never passed on: they can quote the input, and an identity is a secret.

/** An age X25519 recipient's shape: `age1` and 58 bech32 characters. The checksum needs ageRecipientKey. */
export const AGE_RECIPIENT_PATTERN = /^age1[02-9ac-hj-np-z]{58}$/;
const IDENTITY_PATTERN = /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/;
const RECIPIENT_HRP = 'age';
const IDENTITY_HRP = 'age-secret-key-';

function decode(text: string, hrp: string): Uint8Array | null {
  try {
    const { prefix, bytes } = bech32.decodeToBytes(text);
    if (prefix === hrp && bytes.length === 32) return bytes;
    bytes.fill(0);
    return null;
  } catch {
    return null; // bad checksum or non-zero padding bits
  }
}

/** The 32 X25519 public key bytes of an `age1…` recipient, or null when the value is not one (shape or checksum). */
export function ageRecipientKey(value: unknown): Uint8Array | null {
  return typeof value === 'string' && AGE_RECIPIENT_PATTERN.test(value) ? decode(value, RECIPIENT_HRP) : null;
}

/** Whether `value` is a well-formed age X25519 recipient (`age1…`, canonical, checksum verified). */
export function isAgeRecipient(value: unknown): value is string {
  return ageRecipientKey(value) !== null;
}

/** The `age1…` recipient of 32 X25519 public key bytes. */
export function ageRecipientFromKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new Error('An X25519 public key has 32 bytes.');
  return bech32.encode(RECIPIENT_HRP, bech32.toWords(publicKey));
}

/** The 32 secret bytes of an `AGE-SECRET-KEY-1…` identity (the caller wipes them), or null when the value is not one. */
export function ageIdentitySecret(value: unknown): Uint8Array | null {
  return typeof value === 'string' && IDENTITY_PATTERN.test(value) ? decode(value, IDENTITY_HRP) : null;
}

/** Whether `value` is a well-formed age X25519 identity (`AGE-SECRET-KEY-1…`, canonical, checksum verified). */
export function isAgeIdentity(value: unknown): value is string {
  const secret = ageIdentitySecret(value);
  secret?.fill(0);
  return secret !== null;
}

/** The `AGE-SECRET-KEY-1…` identity of 32 X25519 secret bytes (for the age CLI and keychains; a secret). */
export function ageIdentityFromSecret(secret: Uint8Array): string {
  if (secret.length !== 32) throw new Error('An X25519 secret key has 32 bytes.');
  return bech32.encode(IDENTITY_HRP, bech32.toWords(secret)).toUpperCase();
}
