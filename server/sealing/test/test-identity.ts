import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { ageIdentityFromSecret, ageRecipientFromKey } from '../../../common/age-keys';

const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/** A test-only X25519 identity: the `AGE-SECRET-KEY-1…` string (for the age CLI and age-encryption), its recipient and a KeyObject. */
export interface TestIdentity {
  identity: string;
  recipient: string;
  privateKey: KeyObject;
}

/** Creates an identity from 32 secret bytes (random unless given, e.g. a fixed benchmark key). */
export function createTestIdentity(secret: Uint8Array = randomBytes(32)): TestIdentity {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, secret]), format: 'der', type: 'pkcs8' });
  const publicBytes = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).subarray(12);
  return { identity: ageIdentityFromSecret(secret), recipient: ageRecipientFromKey(publicBytes), privateKey };
}
