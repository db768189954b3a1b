// A minimal DER (ASN.1) encoder: just the types an X.509 certificate needs. node:crypto signs and
// parses certificates but cannot issue one, and a dependency for ~100 lines is not worth it.

/** One encoded DER element (tag, length, contents). */
export type Der = Buffer;

/** Tag, definite length and contents. */
export function tlv(tag: number, ...contents: Buffer[]): Der {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export const sequence = (...items: Der[]): Der => tlv(0x30, ...items);
export const set = (...items: Der[]): Der => tlv(0x31, ...items);
export const nullValue = (): Der => tlv(0x05);
export const boolean = (value: boolean): Der => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
export const octetString = (bytes: Buffer): Der => tlv(0x04, bytes);
export const utf8String = (text: string): Der => tlv(0x0c, Buffer.from(text, 'utf8'));
/** BIT STRING with no unused bits (keys, signatures). */
export const bitString = (bytes: Buffer): Der => tlv(0x03, Buffer.from([0]), bytes);
/** `[n] EXPLICIT`: a constructed context tag around one element. */
export const explicit = (n: number, inner: Der): Der => tlv(0xa0 | n, inner);
/** `[n] IMPLICIT` primitive context tag (SAN dNSName [2], iPAddress [7]). */
export const implicitPrimitive = (n: number, bytes: Buffer): Der => tlv(0x80 | n, bytes);

/** A non-negative INTEGER from big-endian bytes (leading zeros trimmed, a zero byte added when the top bit is set). */
export function unsignedInteger(bytes: Buffer): Der {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.subarray(i);
  return tlv(0x02, trimmed.length === 0 ? Buffer.from([0]) : trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

/** A small non-negative INTEGER. */
export function smallInteger(n: number): Der {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError('smallInteger takes 0 … 2^32-1');
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return unsignedInteger(Buffer.from(bytes.length ? bytes : [0]));
}

/** OBJECT IDENTIFIER from dotted text, e.g. `2.5.29.17`. */
export function oid(dotted: string): Der {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d{1,9}$/.test(a)) throw new RangeError(`bad OID arc in ${dotted}`);
    return Number(a);
  });
  if (arcs.length < 2 || arcs[0]! > 2) throw new RangeError(`bad OID ${dotted}`);
  const out: number[] = [...base128(arcs[0]! * 40 + arcs[1]!)];
  for (const arc of arcs.slice(2)) out.push(...base128(arc));
  return tlv(0x06, Buffer.from(out));
}

function base128(n: number): number[] {
  const digits = [n & 0x7f];
  for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) digits.unshift((v & 0x7f) | 0x80);
  return digits;
}

/** X.509 time: UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5), whole seconds. */
export function time(date: Date): Der {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new RangeError('certificate time out of range');
  return year < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'latin1')) : tlv(0x18, Buffer.from(digits, 'latin1'));
}
