import { KeyObject, createPublicKey, webcrypto } from 'node:crypto';
import { Decrypter, Encrypter } from 'age-encryption';
import { ageRecipientFromKey, isAgeIdentity, isAgeRecipient } from '../common/age-keys';
import { AgeError } from './age-error';

/** Throws an AgeError unless `value` is an age X25519 recipient. */
export function assertAgeRecipient(value: unknown, what = 'The public key'): asserts value is string {
  if (!isAgeRecipient(value)) throw new AgeError(`${what} is not an age X25519 recipient (age1…).`);
}

/** Encrypts bytes to one recipient; returns a complete age file (binary). */
export async function encryptTo(recipient: string, plaintext: Uint8Array): Promise<Uint8Array> {
  assertAgeRecipient(recipient, 'The recipient');
  const e = new Encrypter();
  e.addRecipient(recipient);
  return e.encrypt(plaintext);
}

/** Decrypts an age file with an identity (an `AGE-SECRET-KEY-1…` string or an X25519 CryptoKey). */
export async function decryptWith(identity: string | webcrypto.CryptoKey, file: Uint8Array, what = 'The file'): Promise<Uint8Array> {
  const d = new Decrypter();
  try {
    if (typeof identity === 'string' && !isAgeIdentity(identity)) throw new Error('not an identity');
    d.addIdentity(identity as never);
  } catch {
    throw new AgeError('The stored identity is not a valid age X25519 identity.');
  }
  try {
    return await d.decrypt(file);
  } catch {
    throw new AgeError(`${what} could not be decrypted with this key (it was encrypted to another key, or it is damaged).`);
  }
}

// PKCS #8 prefix for a raw 32-byte X25519 private key (RFC 8410).
const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** An X25519 identity held as non-extractable key objects; the raw bytes are gone once it exists. */
export interface X25519Key {
  /** For age-encryption's Decrypter. */
  cryptoKey: webcrypto.CryptoKey;
  /** For node:crypto (the fast frame decryptor). */
  keyObject: KeyObject;
  /** The age recipient (age1…). */
  recipient: string;
}

/** Imports 32 secret bytes as an X25519 identity. Does not wipe `secret`: the caller owns and wipes it. */
export async function importX25519Secret(secret: Uint8Array): Promise<X25519Key> {
  if (secret.length !== 32) throw new AgeError('An X25519 secret key has 32 bytes.');
  const der = Buffer.alloc(PKCS8_X25519_PREFIX.length + 32);
  PKCS8_X25519_PREFIX.copy(der);
  der.set(secret, PKCS8_X25519_PREFIX.length);
  try {
    const cryptoKey = await webcrypto.subtle.importKey('pkcs8', der, { name: 'X25519' }, false, ['deriveBits']);
    const keyObject = KeyObject.from(cryptoKey);
    const publicKey = Buffer.from(createPublicKey(keyObject).export({ format: 'jwk' }).x ?? '', 'base64url');
    return { cryptoKey, keyObject, recipient: ageRecipientFromKey(publicKey) };
  } finally {
    der.fill(0);
  }
}

/** Generates a fresh X25519 identity in memory; `secret` is returned for splitting and must be wiped by the caller. */
export async function generateX25519Key(): Promise<{ key: X25519Key; secret: Uint8Array }> {
  const secret = webcrypto.getRandomValues(new Uint8Array(32));
  return { key: await importX25519Secret(secret), secret };
}

/** Strict base64 decoding (Buffer.from silently skips invalid characters). */
export function decodeBase64(value: string, maxBytes: number, what: string): Uint8Array {
  if (typeof value !== 'string' || value.length === 0 || value.length > Math.ceil(maxBytes / 3) * 4 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new AgeError(`${what} is not valid base64 of at most ${maxBytes} bytes.`);
  }
  return new Uint8Array(Buffer.from(value, 'base64'));
}
