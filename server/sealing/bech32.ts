// Bech32 (BIP 173, not bech32m) as age uses it for `age1…` recipients and `AGE-SECRET-KEY-1…`
// identities. Kept here so the sealer can turn a recipient into its 32 key bytes without the
// pure-JS age package on the hot path. Unlike BIP 173, age puts no 90-character limit on strings.

const CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

function polymod(values: number[]): number {
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATOR[i]!;
  }
  return chk >>> 0;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >>> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

function convertBits(data: ArrayLike<number>, from: number, to: number, pad: boolean): number[] | null {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const max = (1 << to) - 1;
  for (let i = 0; i < data.length; i++) {
    acc = (acc << from) | data[i]!;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >>> bits) & max);
    }
    acc &= (1 << bits) - 1;
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & max);
  } else if (bits >= from || ((acc << (to - bits)) & max) !== 0) {
    return null;
  }
  return out;
}

/** Encodes bytes as lower-case bech32 with the given human-readable part. */
export function bech32Encode(hrp: string, bytes: Uint8Array): string {
  const data = convertBits(bytes, 8, 5, true)!;
  const check = polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ 1;
  const checksum = Array.from({ length: 6 }, (_, i) => (check >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((v) => CHARSET[v]).join('')}`;
}

/** Decodes a bech32 string (all lower or all upper case); null when malformed or the checksum fails. */
export function bech32Decode(text: string): { hrp: string; bytes: Uint8Array } | null {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return null;
  const s = text.toLowerCase();
  const sep = s.lastIndexOf('1');
  if (sep < 1 || sep + 7 > s.length) return null;
  const hrp = s.slice(0, sep);
  const data: number[] = [];
  for (const c of s.slice(sep + 1)) {
    const v = CHARSET.indexOf(c);
    if (v === -1) return null;
    data.push(v);
  }
  if (polymod([...hrpExpand(hrp), ...data]) !== 1) return null;
  const bytes = convertBits(data.slice(0, -6), 5, 8, false);
  return bytes ? { hrp, bytes: Uint8Array.from(bytes) } : null;
}

/** The 32 key bytes of an `age1…` X25519 recipient; throws on anything else. */
export function recipientKeyBytes(recipient: string): Uint8Array {
  const decoded = bech32Decode(recipient);
  if (!decoded || decoded.hrp !== 'age' || decoded.bytes.length !== 32 || recipient !== recipient.toLowerCase()) {
    throw new Error('Not an age X25519 recipient (age1…).');
  }
  return decoded.bytes;
}

/** The `age1…` recipient string of 32 X25519 public key bytes. */
export function recipientFromKeyBytes(publicKey: Uint8Array): string {
  if (publicKey.length !== 32) throw new Error('An X25519 public key has 32 bytes.');
  return bech32Encode('age', publicKey);
}
