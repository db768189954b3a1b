import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientIpResolver } from '../http/client-ip';

/** One access record (DESIGN rule 1): nothing more is ever kept. `t` is ms since the epoch. */
export interface AccessRecord {
  t: number;
  ip: string;
  method: string;
  url: string;
  status: number;
  bytes: number;
  referrer?: string;
  userAgent?: string;
}

/** Values per record in a flat batch (the order of AccessRecord's fields). */
export const RECORD_FIELDS = 8;

/** The first value of a request header from rawHeaders (as req.headers would give it), without building req.headers. */
function rawHeader(req: IncomingMessage, name: string): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    if (key.length === name.length && key.toLowerCase() === name) return raw[i + 1] || undefined;
  }
  return undefined;
}

/** The response's bytes sent for the record: its content-length, 0 when none. */
function bytesOf(res: ServerResponse): number {
  // A response written with a header block (sendHeaderBlock) keeps its length in `sentLength`, since
  // getHeader cannot see such headers. A handler that ends with a body but sets no content-length
  // gets one computed by Node, which keeps it only in the internal `_contentLength`; chunked responses have none (0).
  const sent = (res as { sentLength?: number }).sentLength;
  if (sent !== undefined && sent >= 0) return sent;
  const length = res.getHeader('content-length') ?? (res as unknown as { _contentLength?: unknown })._contentLength;
  return typeof length === 'number' || typeof length === 'string' ? Number(length) || 0 : 0;
}

/**
 * The access record of one delivery request: time, client IP, method, URL as requested, status,
 * bytes sent (the response's content-length, 0 when none), referrer and user agent when sent.
 * Nothing more, and it goes nowhere but to the sealer.
 */
export function accessRecordOf(req: IncomingMessage, res: ServerResponse, clientIp: ClientIpResolver, now: number, peer?: string): AccessRecord {
  return {
    t: now,
    ip: clientIp(req, peer),
    method: req.method ?? '',
    url: req.url ?? '',
    status: res.statusCode,
    bytes: bytesOf(res),
    referrer: rawHeader(req, 'referer'),
    userAgent: rawHeader(req, 'user-agent'),
  };
}

/**
 * What accessRecordOf makes, handed to `sink` field by field (Sealer.pushFields) without the record
 * object; referrer and user agent are found in one pass over the raw headers.
 */
export function captureAccessRecord(
  req: IncomingMessage, res: ServerResponse, clientIp: ClientIpResolver, now: number, peer: string,
  sink: { pushFields(t: number, ip: string, method: string, url: string, status: number, bytes: number, referrer: string | undefined, userAgent: string | undefined): void },
): void {
  let referrer: string | undefined;
  let userAgent: string | undefined;
  let seenReferrer = false;
  let seenUserAgent = false;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const key = raw[i]!;
    // The first value of each, as req.headers would give it.
    if (key.length === 10 && !seenUserAgent && key.toLowerCase() === 'user-agent') {
      seenUserAgent = true;
      userAgent = raw[i + 1] || undefined;
    } else if (key.length === 7 && !seenReferrer && key.toLowerCase() === 'referer') {
      seenReferrer = true;
      referrer = raw[i + 1] || undefined;
    }
  }
  sink.pushFields(now, clientIp(req, peer), req.method ?? '', req.url ?? '', res.statusCode, bytesOf(res), referrer, userAgent);
}

let lastMs = NaN;
let lastIso = '';
// Printable ASCII but `"` and `\`: JSON.stringify would write such a string as is, between quotes.
const NEEDS_NO_ESCAPE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const q = (s: string) => (NEEDS_NO_ESCAPE.test(s) ? `"${s}"` : JSON.stringify(s));
const num = (n: number) => (Number.isFinite(n) ? n : 0);

/**
 * One NDJSON line of the sealed log: exactly `JSON.stringify({t, ip, method, url, status, bytes,
 * referrer, userAgent})` (absent referrer/user agent left out), built by concatenation with the
 * time's ISO string reused within a millisecond.
 */
export function accessRecordLine(r: AccessRecord): string {
  return line(r.t, r.ip, r.method, r.url, r.status, r.bytes, r.referrer, r.userAgent);
}

function line(t: number, ip: string, method: string, url: string, status: number, bytes: number, referrer: string | undefined, userAgent: string | undefined): string {
  if (t !== lastMs) {
    lastMs = t;
    lastIso = new Date(t).toISOString();
  }
  return `{"t":"${lastIso}","ip":${q(ip)},"method":${q(method)},"url":${q(url)},"status":${num(status)},"bytes":${num(bytes)}${
    referrer === undefined ? '' : `,"referrer":${q(referrer)}`}${userAgent === undefined ? '' : `,"userAgent":${q(userAgent)}`}}\n`;
}

/** NDJSON bytes of a flat batch (RECORD_FIELDS values per record), as the seal worker turns it into a frame. */
export function formatRecords(fields: readonly unknown[]): Buffer {
  const out = new LineWriter((fields.length / RECORD_FIELDS) * 512);
  for (let i = 0; i + RECORD_FIELDS <= fields.length; i += RECORD_FIELDS) {
    out.add(line(
      fields[i] as number, fields[i + 1] as string, fields[i + 2] as string, fields[i + 3] as string,
      fields[i + 4] as number, fields[i + 5] as number, fields[i + 6] as string | undefined, fields[i + 7] as string | undefined,
    ));
  }
  return out.done();
}

/** NDJSON lines encoded one by one into one growing buffer: cheaper than building a long string and converting it. */
class LineWriter {
  private buf: Buffer;
  private at = 0;

  constructor(sizeHint: number) {
    this.buf = Buffer.allocUnsafe(Math.max(4096, sizeHint));
  }

  add(text: string): void {
    if (this.at + text.length * 3 > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + text.length * 3));
      this.buf.copy(bigger, 0, 0, this.at);
      this.buf = bigger;
    }
    this.at += this.buf.write(text, this.at);
  }

  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

/** Marks an absent referrer or user agent in an encoded batch (see RecordEncoder). */
const ABSENT = 0xffffffff;

/**
 * Writes access records into one binary buffer as they arrive, so a batch crosses to the seal
 * worker as a transferred buffer instead of a structured clone of its values, and the requests'
 * strings are not kept alive (and promoted by the garbage collector) until the batch leaves.
 * Per record: t, status and bytes as float64, then ip, method, url, referrer and user agent, each
 * as a uint32 byte length (ABSENT for none) and UTF-16LE code units: any string comes back exactly
 * as it went in. formatEncoded turns a batch into the same NDJSON as formatRecords.
 */
export class RecordEncoder {
  private buf: Buffer | null = null;
  private at = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.at;
  }

  append(t: number, ip: string, method: string, url: string, status: number, bytes: number, referrer: string | undefined, userAgent: string | undefined): void {
    const need = 44 + 2 * (ip.length + method.length + url.length + (referrer === undefined ? 0 : referrer.length) + (userAgent === undefined ? 0 : userAgent.length));
    let buf = this.buf;
    if (buf === null || this.at + need > buf.length) buf = this.grow(need);
    let at = this.at;
    buf.writeDoubleLE(t, at);
    buf.writeDoubleLE(status, at + 8);
    buf.writeDoubleLE(bytes, at + 16);
    at = putString(buf, at + 24, ip);
    at = putString(buf, at, method);
    at = putString(buf, at, url);
    at = putString(buf, at, referrer);
    this.at = putString(buf, at, userAgent);
  }

  /** The records written so far, in a buffer of their own (transferable), and a fresh start. */
  take(): Uint8Array {
    const out = this.buf === null ? new Uint8Array(0) : new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.at);
    this.buf = null;
    this.at = 0;
    return out;
  }

  private grow(need: number): Buffer {
    // Unpooled, so the batch's ArrayBuffer is its own and can be transferred.
    const bigger = Buffer.allocUnsafeSlow(Math.max(256 * 1024, (this.buf?.length ?? 0) * 2, this.at + need));
    this.buf?.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
    return bigger;
  }
}

function putString(buf: Buffer, at: number, s: string | undefined): number {
  if (s === undefined) {
    buf.writeUInt32LE(ABSENT, at);
    return at + 4;
  }
  const n = s.length === 0 ? 0 : buf.write(s, at + 4, 'utf16le');
  buf.writeUInt32LE(n, at);
  return at + 4 + n;
}

/** NDJSON bytes of a batch written by RecordEncoder: the same as formatRecords of the same records. */
export function formatEncoded(records: Uint8Array): Buffer {
  const src = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
  const out = new LineWriter(src.length);
  let at = 0;
  const get = (): string | undefined => {
    const n = src.readUInt32LE(at);
    at += 4;
    if (n === ABSENT) return undefined;
    const s = n === 0 ? '' : src.toString('utf16le', at, at + n);
    at += n;
    return s;
  };
  while (at < src.length) {
    const t = src.readDoubleLE(at);
    const status = src.readDoubleLE(at + 8);
    const bytes = src.readDoubleLE(at + 16);
    at += 24;
    const ip = get()!;
    const method = get()!;
    const url = get()!;
    const referrer = get();
    const userAgent = get();
    out.add(line(t, ip, method, url, status, bytes, referrer, userAgent));
  }
  return out.done();
}
