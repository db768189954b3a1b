import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { BackupError, ChunkWriter } from './backup-format';

/**
 * The plaintext inside a backup: a sequence of entries `u8 1 | u16be path length | path | u64be
 * size | bytes`, ended by `u8 0`. Paths are relative, '/'-separated, made of safe characters only.
 */
const SAFE_PART = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,200}$/;

/** Whether an archive path is safe to write below a directory (no absolute paths, no `..`). */
export function isSafeArchivePath(p: string): boolean {
  const parts = p.split('/');
  return p.length <= 1000 && parts.length <= 8 && parts.every((part) => SAFE_PART.test(part) && part !== '..');
}

/** Appends one entry; reads the source in pieces, at most `size` bytes (files may still grow). */
export async function writeEntry(writer: ChunkWriter, archivePath: string, source: { file: string; size: number } | { data: Buffer }): Promise<void> {
  if (!isSafeArchivePath(archivePath)) throw new Error(`Cannot back up "${archivePath}": unexpected characters in its name.`);
  const name = Buffer.from(archivePath, 'utf8');
  const size = 'data' in source ? source.data.length : source.size;
  const head = Buffer.alloc(1 + 2 + name.length + 8);
  head.writeUInt8(1, 0);
  head.writeUInt16BE(name.length, 1);
  name.copy(head, 3);
  head.writeBigUInt64BE(BigInt(size), 3 + name.length);
  await writer.push(head);
  if ('data' in source) return writer.push(source.data);
  const fh = await fsp.open(source.file, 'r');
  try {
    let done = 0;
    while (done < size) {
      const buf = Buffer.alloc(Math.min(256 * 1024, size - done));
      const { bytesRead } = await fh.read(buf, 0, buf.length, done);
      if (bytesRead === 0) throw new Error(`${path.basename(source.file)} shrank while it was being backed up.`);
      await writer.push(buf.subarray(0, bytesRead));
      done += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/** Ends the entry sequence. */
export const writeEnd = (writer: ChunkWriter) => writer.push(Buffer.from([0]));

/** Pulls exact byte counts out of a stream of decrypted chunks. */
class ByteReader {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly chunks: AsyncIterator<Buffer>, private readonly file: string) {}

  async read(n: number): Promise<Buffer> {
    while (this.buf.length < n) {
      const next = await this.chunks.next();
      if (next.done) throw new BackupError(`${this.file} is damaged (its contents end too early).`);
      this.buf = this.buf.length ? Buffer.concat([this.buf, next.value]) : next.value;
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** True when nothing follows (all chunks consumed). */
  async atEnd(): Promise<boolean> {
    if (this.buf.length) return false;
    const next = await this.chunks.next();
    if (next.done) return true;
    this.buf = next.value;
    return this.buf.length === 0 ? this.atEnd() : false;
  }
}

/**
 * Reads every entry and hands it to `place`, which returns the file to write it to (or null to
 * skip it). Files are written with mode 0600 below directories created 0700.
 */
export async function extractEntries(chunks: AsyncIterator<Buffer>, file: string, place: (archivePath: string) => string | null): Promise<{ written: string[]; skipped: string[] }> {
  const reader = new ByteReader(chunks, file);
  const written: string[] = [];
  const skipped: string[] = [];
  for (;;) {
    const type = (await reader.read(1))[0];
    if (type === 0) break;
    if (type !== 1) throw new BackupError(`${file} is damaged (unknown entry type).`);
    const nameLen = (await reader.read(2)).readUInt16BE(0);
    const archivePath = (await reader.read(nameLen)).toString('utf8');
    if (!isSafeArchivePath(archivePath)) throw new BackupError(`${file} is damaged (an entry has an unsafe name).`);
    const size = Number((await reader.read(8)).readBigUInt64BE(0));
    const target = place(archivePath);
    let fd: number | null = null;
    if (target) {
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      fd = fs.openSync(target, 'wx', 0o600);
    }
    try {
      let left = size;
      while (left > 0) {
        const piece = await reader.read(Math.min(left, 256 * 1024));
        if (fd !== null) fs.writeSync(fd, piece);
        left -= piece.length;
      }
      if (fd !== null) fs.fsyncSync(fd);
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
    (target ? written : skipped).push(archivePath);
  }
  if (!(await reader.atEnd())) throw new BackupError(`${file} is damaged (data after its end marker).`);
  return { written, skipped };
}
