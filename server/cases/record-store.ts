import type { UnsealedRecord } from '../../common/schemas/cases';

const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * The unsealed records of one case: their NDJSON lines copied into off-heap buffers, with an index.
 * Compact (a million records do not become a million objects), parsed only when shown, and wiped
 * byte by byte when the case is closed or expires.
 */
export class RecordStore {
  private chunks: Buffer[] = [];
  private used = 0;
  /** Per record: chunk index, start, length. */
  private index = new Uint32Array(3 * 1024);
  private n = 0;
  private wiped = false;

  get count(): number {
    return this.n;
  }

  /** Copies bytes [start, end) of `source` (one record's line) into the store. */
  append(source: Buffer, start: number, end: number): void {
    const length = end - start;
    let chunk = this.chunks[this.chunks.length - 1];
    if (!chunk || this.used + length > chunk.length) {
      chunk = Buffer.alloc(Math.max(CHUNK_BYTES, length));
      this.chunks.push(chunk);
      this.used = 0;
    }
    source.copy(chunk, this.used, start, end);
    if (3 * (this.n + 1) > this.index.length) {
      const bigger = new Uint32Array(this.index.length * 2);
      bigger.set(this.index);
      this.index.fill(0);
      this.index = bigger;
    }
    const at = 3 * this.n;
    this.index[at] = this.chunks.length - 1;
    this.index[at + 1] = this.used;
    this.index[at + 2] = length;
    this.used += length;
    this.n++;
  }

  /** Stores one line given as a string (frames that are not plain ASCII). */
  appendLine(line: string): void {
    const bytes = Buffer.from(line, 'utf8');
    this.append(bytes, 0, bytes.length);
    bytes.fill(0);
  }

  /** The line of record `i`. */
  line(i: number): string {
    if (this.wiped || i < 0 || i >= this.n) throw new RangeError('No such record.');
    const start = this.index[3 * i + 1]!;
    return this.chunks[this.index[3 * i]!]!.toString('utf8', start, start + this.index[3 * i + 2]!);
  }

  /** Record `i`, parsed into the served shape. */
  record(i: number): UnsealedRecord {
    return parseRecord(this.line(i));
  }

  /** Zeroes every stored byte and the index; the store is empty afterwards. */
  wipe(): void {
    for (const c of this.chunks) c.fill(0);
    this.index.fill(0);
    this.chunks = [];
    this.n = 0;
    this.wiped = true;
  }
}

/** Parses a stored line into the served shape (unknown fields dropped, missing ones null). */
export function parseRecord(line: string): UnsealedRecord {
  let r: Record<string, unknown> = {};
  try {
    r = JSON.parse(line) as Record<string, unknown>;
  } catch {
    // cannot happen for lines that passed the scan; show an empty record rather than fail the page
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const num = (v: unknown) => (typeof v === 'number' ? v : 0);
  const t = str(r.t);
  const time = t ? new Date(t) : null;
  return {
    t: time && !Number.isNaN(time.getTime()) ? time.toISOString() : '',
    ip: str(r.ip) ?? '',
    method: str(r.method) ?? '',
    url: str(r.url) ?? '',
    status: num(r.status),
    bytes: num(r.bytes),
    referrer: str(r.referrer),
    userAgent: str(r.userAgent),
  };
}
