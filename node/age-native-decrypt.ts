import { createDecipheriv, createHmac, createPublicKey, diffieHellman, hkdfSync, timingSafeEqual, type KeyObject } from 'node:crypto';
import { AgeError } from './age-error';

/**
 * Decrypts age files (age-encryption.org/v1, X25519 recipients) with node:crypto's native
 * primitives: the unseal scan's hot path, about 30× faster than the pure-JS package. Verified
 * against `age-encryption` and the `age` CLI in the tests.
 */
export interface AgeFileDecryptor {
  /** The plaintext, or null when no stanza is addressed to this identity (a frame sealed to another key). Throws AgeError when damaged. */
  decrypt(file: Uint8Array): Buffer | null;
}

const INTRO = Buffer.from('age-encryption.org/v1\n');
const X25519_LABEL = Buffer.from('age-encryption.org/v1/X25519');
const CHUNK = 64 * 1024;
const TAG = 16;

/** A decryptor for one X25519 identity held as a node:crypto private KeyObject. */
export function createAgeDecryptor(identity: KeyObject): AgeFileDecryptor {
  const jwk = createPublicKey(identity).export({ format: 'jwk' });
  const ownPublic = Buffer.from(jwk.x ?? '', 'base64url');
  if (identity.asymmetricKeyType !== 'x25519' || ownPublic.length !== 32) throw new AgeError('Not an X25519 identity.');

  function unwrap(share: Buffer, body: Buffer): Buffer | null {
    // JWK import costs a seventh of a DER import under OpenSSL 3 (no decoder lookup): it is per frame.
    const peer = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: share.toString('base64url') }, format: 'jwk' });
    const shared = diffieHellman({ privateKey: identity, publicKey: peer });
    if (shared.every((b) => b === 0)) throw new AgeError('Invalid X25519 stanza.', 'header');
    const key = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([share, ownPublic]), X25519_LABEL, 32));
    shared.fill(0);
    try {
      return aeadOpen(key, Buffer.alloc(12), body);
    } catch {
      return null; // addressed to another X25519 key
    } finally {
      key.fill(0);
    }
  }

  return {
    decrypt(input) {
      const file = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
      const header = parseHeader(file);
      let fileKey: Buffer | null = null;
      for (const s of header.stanzas) {
        if (s.args[0] !== 'X25519') continue;
        if (s.args.length !== 2 || s.body.length !== 32) throw new AgeError('Invalid X25519 stanza.', 'header');
        const share = decodeNoPad(s.args[1]!, 'stanza');
        if (share.length !== 32) throw new AgeError('Invalid X25519 stanza.', 'header');
        fileKey = unwrap(share, s.body);
        if (fileKey) break;
      }
      if (!fileKey) return null;
      try {
        const macKey = Buffer.from(hkdfSync('sha256', fileKey, Buffer.alloc(0), 'header', 32));
        const mac = createHmac('sha256', macKey).update(file.subarray(0, header.macInputEnd)).digest();
        macKey.fill(0);
        if (!timingSafeEqual(mac, header.mac)) throw new AgeError('The age header MAC does not match (damaged file).', 'mac');
        return decryptPayload(fileKey, file.subarray(header.payloadStart));
      } finally {
        fileKey.fill(0);
      }
    },
  };
}

function aeadOpen(key: Buffer, nonce: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < TAG) throw new AgeError('Truncated age payload.', 'payload');
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  const out = d.update(sealed.subarray(0, sealed.length - TAG));
  d.final();
  return out;
}

function decryptPayload(fileKey: Buffer, payload: Buffer): Buffer {
  if (payload.length < 16 + TAG) throw new AgeError('Truncated age payload.', 'payload');
  const key = Buffer.from(hkdfSync('sha256', fileKey, payload.subarray(0, 16), 'payload', 32));
  const body = payload.subarray(16);
  const chunks = Math.max(1, Math.ceil(body.length / (CHUNK + TAG)));
  const out = Buffer.allocUnsafe(body.length - chunks * TAG);
  const nonce = Buffer.alloc(12);
  let written = 0;
  try {
    for (let i = 0; i < chunks; i++) {
      const last = i === chunks - 1;
      const sealed = body.subarray(i * (CHUNK + TAG), last ? body.length : (i + 1) * (CHUNK + TAG));
      if (last && sealed.length === TAG && chunks > 1) throw new AgeError('Invalid age payload (empty final chunk).', 'payload');
      nonce.writeUIntBE(i, 5, 6);
      nonce[11] = last ? 1 : 0;
      let plain: Buffer;
      try {
        plain = aeadOpen(key, nonce, sealed);
      } catch {
        throw new AgeError('The age payload failed authentication (damaged or truncated file).', 'payload');
      }
      plain.copy(out, written);
      written += plain.length;
      plain.fill(0); // only `out` keeps the plaintext
    }
  } finally {
    key.fill(0);
  }
  return out;
}

interface Header {
  stanzas: Array<{ args: string[]; body: Buffer }>;
  mac: Buffer;
  macInputEnd: number;
  payloadStart: number;
}

/** Parses the textual header strictly; offsets point into `file`. */
function parseHeader(file: Buffer): Header {
  if (file.length < INTRO.length || !file.subarray(0, INTRO.length).equals(INTRO)) throw new AgeError('Not an age v1 file.', 'header');
  let pos = INTRO.length;
  const line = (): string => {
    const end = file.indexOf(0x0a, pos);
    if (end === -1 || end - pos > 4096) throw new AgeError('Malformed age header.', 'header');
    const text = file.toString('latin1', pos, end);
    pos = end + 1;
    return text;
  };
  const stanzas: Header['stanzas'] = [];
  for (;;) {
    const start = pos;
    const l = line();
    if (l.startsWith('--- ')) {
      const mac = decodeNoPad(l.slice(4), 'MAC');
      if (mac.length !== 32) throw new AgeError('Malformed age header MAC.', 'header');
      return { stanzas, mac, macInputEnd: start + 3, payloadStart: pos };
    }
    if (!l.startsWith('-> ') || stanzas.length >= 20) throw new AgeError('Malformed age header.', 'header');
    const args = l.slice(3).split(' ');
    const parts: Buffer[] = [];
    for (;;) {
      const b = line();
      if (b.length > 64) throw new AgeError('Malformed age stanza body.', 'header');
      parts.push(decodeNoPad(b, 'stanza body'));
      if (b.length < 64) break;
    }
    stanzas.push({ args, body: Buffer.concat(parts) });
  }
}

function decodeNoPad(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) throw new AgeError(`Malformed age ${what} (base64).`, 'header');
  return Buffer.from(text, 'base64');
}
