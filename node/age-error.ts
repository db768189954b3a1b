/**
 * Where a decryption failed, as the age test vectors tell failures apart: the header did not
 * parse, its MAC did not match, or the payload did not authenticate. `invalid` is everything else.
 */
export type AgeErrorKind = 'header' | 'mac' | 'payload' | 'invalid';

/** An age failure whose message is safe to show: it never contains keys, identities or plaintext. */
export class AgeError extends Error {
  override name = 'AgeError';

  constructor(message: string, readonly kind: AgeErrorKind = 'invalid') {
    super(message);
  }
}
