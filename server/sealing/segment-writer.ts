import fs from 'node:fs';
import path from 'node:path';
import { monthOfHour, parseSegmentFileName, segmentFileName, type SegmentName } from './segment-names';
import { listMonths } from './segment-reader';
import { setAsideTornTail, type SetAside } from './torn-tail';

/** Names the segment that is open for appending, so recovery knows which one a crash may have torn. */
export const OPEN_SEGMENT_FILE = 'open-segment';

export interface SegmentWriterOptions {
  sealedDir: string;
  /** Rotate to a new segment before one would grow past this. */
  maxSegmentBytes: number;
}

interface OpenSegment extends SegmentName {
  path: string;
  fd: number;
  size: number;
}

/**
 * Appends frames (`u32be length ‖ age file`) to hourly segments, synchronously: it runs in the
 * seal worker thread, never on the server's event loop. It never appends to a segment it did not
 * create itself, so a torn tail left by a crash is never followed by new frames.
 */
export class SegmentWriter {
  private open: OpenSegment | null = null;

  constructor(private readonly options: SegmentWriterOptions) {
    fs.mkdirSync(options.sealedDir, { recursive: true, mode: 0o700 });
  }

  /**
   * After a crash: checks the segment that was open (and the newest one, in case the marker was
   * lost) and sets aside a torn tail. Call before the first append.
   */
  recover(): SetAside[] {
    const candidates = new Set<string>();
    const marker = path.join(this.options.sealedDir, OPEN_SEGMENT_FILE);
    try {
      const rel = fs.readFileSync(marker, 'utf8').trim();
      if (rel && !rel.includes('..')) candidates.add(path.join(this.options.sealedDir, rel));
    } catch {
      // no marker: the last stop was clean, or nothing was ever written
    }
    const newest = this.newestSegment();
    if (newest) candidates.add(newest);
    const done: SetAside[] = [];
    for (const file of candidates) {
      if (!fs.existsSync(file)) continue;
      const result = setAsideTornTail(file);
      if (result) done.push(result);
    }
    fs.rmSync(marker, { force: true });
    return done;
  }

  /** Appends one age file as a frame to the segment for `hour` and `keyId`, rotating as needed. */
  append(hour: string, keyId: string, ageFile: Uint8Array): void {
    const frameBytes = 4 + ageFile.length;
    let seg = this.open;
    if (seg && (seg.hour !== hour || seg.keyId !== keyId || (seg.size > 0 && seg.size + frameBytes > this.options.maxSegmentBytes))) {
      const nextSeq = seg.hour === hour && seg.keyId === keyId ? seg.seq + 1 : 0;
      this.closeSegment();
      seg = this.openSegment(hour, keyId, nextSeq);
    } else if (!seg) {
      seg = this.openSegment(hour, keyId, 0);
    }
    const length = Buffer.alloc(4);
    length.writeUInt32BE(ageFile.length);
    try {
      let written = fs.writevSync(seg.fd, [length, ageFile]);
      while (written < frameBytes) {
        const rest = written < 4 ? Buffer.concat([length.subarray(written), ageFile]) : ageFile.subarray(written - 4);
        written += fs.writeSync(seg.fd, rest);
      }
      seg.size += frameBytes;
    } catch (err) {
      // A half-written frame must not be followed by others: cut it off into the side file and start over.
      this.abandonSegment();
      throw err;
    }
  }

  /** Makes every appended frame durable (one fdatasync for however many frames came before it). */
  sync(): void {
    if (this.open) fs.fdatasyncSync(this.open.fd);
  }

  /** The segment frames are being appended to, if any. */
  current(): { path: string; size: number } | null {
    return this.open ? { path: this.open.path, size: this.open.size } : null;
  }

  /** Syncs and closes the open segment; the next append starts a new one. */
  closeSegment(): void {
    const seg = this.open;
    if (!seg) return;
    this.open = null;
    try {
      fs.fdatasyncSync(seg.fd);
    } finally {
      fs.closeSync(seg.fd);
    }
    fs.rmSync(path.join(this.options.sealedDir, OPEN_SEGMENT_FILE), { force: true });
  }

  private abandonSegment(): void {
    const seg = this.open;
    if (!seg) return;
    this.open = null;
    try {
      fs.closeSync(seg.fd);
      setAsideTornTail(seg.path);
    } catch {
      // left for recovery at the next start (the open-segment marker still names it)
    }
  }

  private openSegment(hour: string, keyId: string, minSeq: number): OpenSegment {
    const monthDir = path.join(this.options.sealedDir, monthOfHour(hour));
    if (!fs.existsSync(monthDir)) {
      fs.mkdirSync(monthDir, { recursive: true, mode: 0o700 });
      syncDir(this.options.sealedDir);
    }
    // Never reuse a name: restarts and torn segments leave earlier sequence numbers behind.
    const prefix = `${hour}-${keyId}-`;
    let seq = minSeq;
    for (const file of fs.readdirSync(monthDir)) {
      const name = file.startsWith(prefix) ? parseSegmentFileName(file.replace(/\.torn$/, '')) : null;
      if (name && name.seq >= seq) seq = name.seq + 1;
    }
    for (;;) {
      const name = segmentFileName({ hour, keyId, seq });
      const file = path.join(monthDir, name);
      // The marker is written first: a crash right after creating the segment still leads recovery to it.
      writeMarker(this.options.sealedDir, path.join(monthOfHour(hour), name));
      try {
        const fd = fs.openSync(file, 'wx', 0o600);
        syncDir(monthDir);
        this.open = { hour, keyId, seq, path: file, fd, size: 0 };
        return this.open;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        seq++;
      }
    }
  }

  private newestSegment(): string | null {
    const months = listMonths(this.options.sealedDir);
    const month = months[months.length - 1];
    if (!month) return null;
    let newest: { file: string; mtime: number } | null = null;
    for (const file of fs.readdirSync(path.join(this.options.sealedDir, month))) {
      if (!parseSegmentFileName(file)) continue;
      const full = path.join(this.options.sealedDir, month, file);
      const mtime = fs.statSync(full).mtimeMs;
      if (!newest || mtime > newest.mtime) newest = { file: full, mtime };
    }
    return newest?.file ?? null;
  }
}

function writeMarker(sealedDir: string, relative: string): void {
  const marker = path.join(sealedDir, OPEN_SEGMENT_FILE);
  const fd = fs.openSync(marker, 'w', 0o600);
  try {
    fs.writeSync(fd, `${relative}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // some platforms cannot fsync a directory; the data itself is still synced
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
