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
  /** Bytes of whole frames written. */
  size: number;
  /** Bytes known to be durable (fdatasync'ed). */
  synced: number;
  /** A failed write or a rollback left bytes past `size` that must be cut before the next write. */
  dirty: boolean;
}

/** Thrown by `sync` after a failed fdatasync: the unsynced frames were cut off and must be written again. */
export class SyncFailedError extends Error {
  /** The errno code of the failed fdatasync. */
  readonly code: string | undefined;
  constructor(cause: unknown) {
    super(`fdatasync failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'SyncFailedError';
    this.code = (cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

/**
 * Appends frames (`u32be length ‖ age file`) to hourly segments, synchronously: it runs in the
 * seal worker thread, never on the server's event loop. It never appends to a segment it did not
 * create itself, so a torn tail left by a crash is never followed by new frames. When a write
 * fails (a full disk), the bytes of the half-written frame are cut off and the same segment is
 * used again for the retry: a failing disk never leaves a trail of new or empty files.
 */
export class SegmentWriter {
  private open: OpenSegment | null = null;
  /** Test seam: while set, every write, open and sync fails with this errno code. */
  private fault: string | null = null;

  constructor(private readonly options: SegmentWriterOptions) {
    fs.mkdirSync(options.sealedDir, { recursive: true, mode: 0o700 });
  }

  /**
   * After a crash: checks the segment that was open (and the newest one, in case the marker was
   * lost) and sets aside a torn tail. Call before the first append.
   */
  recover(): { setAside: SetAside[]; failed: Array<{ segment: string; error: string }> } {
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
    const setAside: SetAside[] = [];
    const failed: Array<{ segment: string; error: string }> = [];
    for (const file of candidates) {
      try {
        const size = fs.statSync(file, { throwIfNoEntry: false })?.size;
        if (size === undefined) continue;
        // Created but never written (a crash, or a full disk): nothing to keep.
        if (size === 0 && this.isSegment(file)) fs.rmSync(file);
        else {
          const result = setAsideTornTail(file);
          if (result) setAside.push(result);
        }
      } catch (err) {
        // A full disk must not keep the server from starting: the torn tail stays where it is, which is
        // safe (nothing is ever appended to an earlier segment, and readers stop before a torn tail).
        failed.push({ segment: file, error: err instanceof Error ? err.message : String(err) });
      }
    }
    fs.rmSync(marker, { force: true });
    return { setAside, failed };
  }

  /** Test seam (the full-disk test where no small volume can be mounted): makes writes fail with `code`, or not (null). */
  injectFault(code: string | null): void {
    this.fault = code;
  }

  /** Whether appending a frame of `frameBytes` for `hour` and `keyId` would switch to another segment. */
  wouldSwitch(hour: string, keyId: string, frameBytes: number): boolean {
    const seg = this.open;
    return !!seg && (seg.hour !== hour || seg.keyId !== keyId || (seg.size > 0 && seg.size + frameBytes > this.options.maxSegmentBytes));
  }

  /**
   * Appends one age file as a frame to the segment for `hour` and `keyId`, rotating as needed. On
   * failure nothing of the frame stays in the segment (or it is cut before the next write).
   */
  append(hour: string, keyId: string, ageFile: Uint8Array): void {
    const frameBytes = 4 + ageFile.length;
    let seg = this.open;
    if (seg && this.wouldSwitch(hour, keyId, frameBytes)) {
      const nextSeq = seg.hour === hour && seg.keyId === keyId ? seg.seq + 1 : 0;
      this.closeSegment();
      seg = this.openSegment(hour, keyId, nextSeq);
    } else if (!seg) {
      seg = this.openSegment(hour, keyId, 0);
    }
    if (seg.dirty) this.cutTail(seg);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(ageFile.length);
    try {
      this.check('write');
      let written = fs.writevSync(seg.fd, [length, ageFile], seg.size);
      while (written < frameBytes) {
        const rest = written < 4 ? Buffer.concat([length.subarray(written), ageFile]) : ageFile.subarray(written - 4);
        written += fs.writeSync(seg.fd, rest, 0, rest.length, seg.size + written);
      }
      seg.size += frameBytes;
    } catch (err) {
      // A half-written frame must not be followed by others: cut it off now, or before the next write.
      seg.dirty = true;
      this.tryCutTail(seg);
      throw err;
    }
  }

  /**
   * Makes every appended frame durable (one fdatasync for however many frames came before it). When
   * it fails, the unsynced frames are cut off (their durability is unknown, and retrying an
   * fdatasync can falsely succeed) and a SyncFailedError says they must be written again.
   */
  sync(): void {
    const seg = this.open;
    if (!seg || seg.synced === seg.size) return;
    try {
      this.check('fdatasync');
      fs.fdatasyncSync(seg.fd);
      seg.synced = seg.size;
    } catch (err) {
      seg.size = seg.synced;
      seg.dirty = true;
      this.tryCutTail(seg);
      throw new SyncFailedError(err);
    }
  }

  /** The segment frames are being appended to, if any. */
  current(): { path: string; size: number } | null {
    return this.open ? { path: this.open.path, size: this.open.size } : null;
  }

  /**
   * Syncs and closes the open segment; the next append starts a new one. A segment that never
   * received a whole frame (the disk was full) is removed rather than left empty.
   */
  closeSegment(): void {
    const seg = this.open;
    if (!seg) return;
    this.open = null;
    try {
      if (seg.dirty) this.cutTail(seg);
      if (seg.synced !== seg.size) fs.fdatasyncSync(seg.fd);
    } finally {
      fs.closeSync(seg.fd);
      if (seg.size === 0) fs.rmSync(seg.path, { force: true });
    }
    fs.rmSync(path.join(this.options.sealedDir, OPEN_SEGMENT_FILE), { force: true });
  }

  /** Cuts frames written since the last sync (at shutdown, when they are no longer wanted); they are counted as lost by the caller. */
  discardUnsynced(): void {
    const seg = this.open;
    if (!seg || seg.synced === seg.size) return;
    seg.size = seg.synced;
    seg.dirty = true;
    this.tryCutTail(seg);
  }

  /** Truncates the segment to its whole frames (what a failed write or a rollback left past them goes). */
  private cutTail(seg: OpenSegment): void {
    this.check('ftruncate');
    fs.ftruncateSync(seg.fd, seg.size);
    seg.dirty = false;
  }

  private tryCutTail(seg: OpenSegment): void {
    try {
      this.cutTail(seg);
    } catch {
      // retried before the next write (seg.dirty); a crash meanwhile leaves it to recovery's set-aside
    }
  }

  private check(syscall: string): void {
    if (this.fault) throw Object.assign(new Error(`${this.fault}: injected fault, ${syscall}`), { code: this.fault, syscall });
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
      this.check('open');
      writeMarker(this.options.sealedDir, path.join(monthOfHour(hour), name));
      try {
        const fd = fs.openSync(file, 'wx', 0o600);
        syncDir(monthDir);
        this.open = { hour, keyId, seq, path: file, fd, size: 0, synced: 0, dirty: false };
        return this.open;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        seq++;
      }
    }
  }

  private isSegment(file: string): boolean {
    return path.resolve(path.dirname(path.dirname(file))) === path.resolve(this.options.sealedDir) && parseSegmentFileName(path.basename(file)) !== null;
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
