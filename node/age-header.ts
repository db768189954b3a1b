import { AgeError } from './age-error';

// The age v1 header (age-encryption.org/v1), parsed strictly: one spelling per header, so a header
// that another implementation would refuse, or read differently, is refused here too (the C2SP
// test vectors in age-vectors.test.ts hold it to that). Every age reader in this repository that
// interprets a header uses this file; the writers use its constants.
//
//   header  = "age-encryption.org/v1" LF *stanza "---" SP mac LF
//   stanza  = "->" 1*(SP arg) LF body        arg = 1*VCHAR (0x21-0x7E)
//   body    = *(64 base64 chars LF) (0-63 base64 chars) LF    canonical base64, no padding
//   mac     = 43 base64 chars (32 bytes)

/** Every age v1 file begins with this line. */
export const AGE_INTRO = Buffer.from('age-encryption.org/v1\n');
/** HKDF info of the X25519 recipient type; also its stanza's first argument is `X25519`. */
export const X25519_LABEL = Buffer.from('age-encryption.org/v1/X25519');

/** One recipient stanza: its arguments (the type first) and its decoded body. */
export interface AgeStanza {
  args: string[];
  body: Buffer;
}

/** A parsed header; offsets point into the file it was parsed from. */
export interface AgeHeader {
  stanzas: AgeStanza[];
  mac: Buffer;
  /** The MAC covers the file's bytes up to here: the header through `---`. */
  macInputEnd: number;
  /** Where the payload (its 16-byte nonce first) begins. */
  payloadStart: number;
}

/** The parts of an X25519 stanza: the sender's ephemeral share and the wrapped file key. */
export interface X25519Stanza {
  share: Buffer;
  wrappedKey: Buffer;
}

// Bounds on damaged or hostile input, far above anything an age implementation writes.
const MAX_STANZAS = 20;
const MAX_LINE = 4096;
const BODY_COLUMNS = 64;
const ARGUMENT = /^[\x21-\x7e]+$/;
const BASE64 = /^[A-Za-z0-9+/]*$/;
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const malformed = (what: string) => new AgeError(`Malformed age header (${what}).`, 'header');

/**
 * Canonical base64 without padding (RFC 4648 §3.5): the only spelling of those bytes, so the unused
 * low bits of the last character must be zero. Null for anything else (Buffer.from alone skips
 * bad characters and ignores those bits).
 */
export function decodeCanonicalBase64(text: string): Buffer | null {
  const rest = text.length % 4;
  if (rest === 1 || !BASE64.test(text)) return null;
  // The last character carries 4 (of 2 chars) or 2 (of 3 chars) bits that no byte uses.
  if (rest !== 0 && (BASE64_ALPHABET.indexOf(text[text.length - 1]!) & (rest === 2 ? 0x0f : 0x03)) !== 0) return null;
  return Buffer.from(text, 'base64');
}

/** Parses an age v1 header strictly; throws an AgeError of kind `header` on anything the spec does not allow. */
export function parseAgeHeader(file: Buffer): AgeHeader {
  if (file.length < AGE_INTRO.length || !file.subarray(0, AGE_INTRO.length).equals(AGE_INTRO)) throw new AgeError('Not an age v1 file.', 'header');
  let pos = AGE_INTRO.length;
  const line = (): string => {
    const end = file.indexOf(0x0a, pos);
    if (end === -1) throw malformed('truncated');
    if (end - pos > MAX_LINE) throw malformed('line too long');
    const text = file.toString('latin1', pos, end);
    pos = end + 1;
    return text;
  };
  const stanzas: AgeStanza[] = [];
  for (;;) {
    const start = pos;
    const text = line();
    if (text.startsWith('---')) {
      const mac = text.startsWith('--- ') ? decodeCanonicalBase64(text.slice(4)) : null;
      if (!mac || mac.length !== 32) throw malformed('MAC line');
      checkStanzaSet(stanzas);
      return { stanzas, mac, macInputEnd: start + 3, payloadStart: pos };
    }
    if (!text.startsWith('-> ')) throw malformed('expected a stanza or the MAC');
    if (stanzas.length === MAX_STANZAS) throw malformed('too many stanzas');
    const args = text.slice(3).split(' ');
    if (!args.every((arg) => ARGUMENT.test(arg))) throw malformed('stanza argument');
    stanzas.push({ args, body: readBody(line) });
  }
}

/** A stanza body: full 64-column lines, then one shorter (possibly empty) line that ends it. */
function readBody(line: () => string): Buffer {
  const parts: Buffer[] = [];
  for (;;) {
    const text = line();
    const bytes = text.length <= BODY_COLUMNS ? decodeCanonicalBase64(text) : null;
    if (!bytes) throw malformed('stanza body');
    parts.push(bytes);
    if (text.length < BODY_COLUMNS) return Buffer.concat(parts);
  }
}

/** Rules across stanzas: an scrypt stanza must be the only one (the passphrase is then the file's sole key). */
function checkStanzaSet(stanzas: AgeStanza[]): void {
  if (stanzas.length > 1 && stanzas.some((s) => s.args[0] === 'scrypt')) throw malformed('scrypt stanza not alone');
}

/** The share and wrapped key of an `X25519` stanza; throws an AgeError of kind `header` if it is malformed. */
export function parseX25519Stanza(stanza: AgeStanza): X25519Stanza {
  const share = stanza.args.length === 2 ? decodeCanonicalBase64(stanza.args[1]!) : null;
  if (stanza.args[0] !== 'X25519' || !share || share.length !== 32 || stanza.body.length !== 32) throw malformed('X25519 stanza');
  return { share, wrappedKey: stanza.body };
}
