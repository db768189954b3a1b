import fs from 'node:fs';
import path from 'node:path';
import { AGE_INTRO } from '../../node/age-header';
import { MONTH_PATTERN, hourStart, parseSegmentFileName, type SegmentName } from './segment-names';

// Reads sealed segments: a sequence of frames `u32be length ‖ age file`. Only the length prefixes
// and each frame's age intro are interpreted here; the header and payload are the decryptor's job
// (node/age-header.ts, server/sealing/age-native-decrypt.ts).
// A tail that is not a whole frame (a crash mid-write, or the frame being appended right now) is
// reported, never returned as a frame.

/** Largest frame accepted: far above any batch the sealer writes; a larger length means damage. */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** A segment on disk, as named and sized when listed. */
export interface SegmentInfo extends SegmentName {
  path: string;
  /** `YYYY-MM` folder. */
  month: string;
  /** The segment's hour: every record in it has start <= t < end. */
  start: Date;
  end: Date;
  size: number;
}

/** Bytes at the end of a segment that are not a whole frame. */
export interface TornTail {
  /** Where the first incomplete or damaged frame begins; everything before it is whole frames. */
  offset: number;
  bytes: number;
  reason: 'partial-length' | 'partial-frame' | 'bad-length' | 'not-age';
}

/** The outcome of walking a segment's frames. */
export interface SegmentCheck {
  size: number;
  frames: number;
  /** Bytes of whole frames (the offset a torn tail begins at). */
  validBytes: number;
  tornTail: TornTail | null;
}

/** One frame: a complete age file. */
export interface Frame {
  index: number;
  offset: number;
  data: Buffer;
}

/** Frames of one segment; `check` is filled in once iteration has reached the end. */
export interface SegmentFrames extends Iterable<Frame> {
  readonly check: SegmentCheck | null;
}

/** The `YYYY-MM` folders in the sealed directory, oldest first. */
export function listMonths(sealedDir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(sealedDir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries.filter((e) => e.isDirectory() && MONTH_PATTERN.test(e.name)).map((e) => e.name).sort();
}

/**
 * Segments in the sealed directory, ordered by hour, key and sequence; with `window`, only those
 * whose hour overlaps [from, to). Side files (`.torn`) and stray files are not listed.
 */
export function listSegments(sealedDir: string, window?: { from: Date; to: Date }): SegmentInfo[] {
  const out: SegmentInfo[] = [];
  for (const month of listMonths(sealedDir)) {
    const monthStartMs = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
    const monthEndMs = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1);
    if (window && (monthEndMs <= window.from.getTime() || monthStartMs >= window.to.getTime())) continue;
    for (const file of fs.readdirSync(path.join(sealedDir, month))) {
      const name = parseSegmentFileName(file);
      if (!name || `${name.hour.slice(0, 4)}-${name.hour.slice(4, 6)}` !== month) continue;
      const start = hourStart(name.hour);
      const end = new Date(start.getTime() + 3_600_000);
      if (window && (end <= window.from || start >= window.to)) continue;
      const filePath = path.join(sealedDir, month, file);
      let size: number;
      try {
        size = fs.statSync(filePath).size;
      } catch {
        continue; // deleted by retention meanwhile
      }
      out.push({ ...name, path: filePath, month, start, end, size });
    }
  }
  return out.sort((a, b) => (a.hour !== b.hour ? (a.hour < b.hour ? -1 : 1) : a.keyId !== b.keyId ? (a.keyId < b.keyId ? -1 : 1) : a.seq - b.seq));
}

/** Walks a segment's frame boundaries (lengths and age intros only) without reading the payloads. */
export function checkSegment(segmentPath: string): SegmentCheck {
  const fd = fs.openSync(segmentPath, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(4 + AGE_INTRO.length);
    let offset = 0;
    let frames = 0;
    for (;;) {
      const step = nextFrame(fd, size, offset, head);
      if (typeof step !== 'number') return { size, frames, validBytes: offset, tornTail: step };
      offset = step;
      frames++;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Iterates the whole frames of a segment as it is when iteration starts (bytes appended later are
 * not read). After the loop, `check.tornTail` tells whether the segment ended in a torn tail.
 */
export function readSegment(segmentPath: string): SegmentFrames {
  const result: { check: SegmentCheck | null } & Iterable<Frame> = {
    check: null,
    *[Symbol.iterator]() {
      const fd = fs.openSync(segmentPath, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const head = Buffer.alloc(4 + AGE_INTRO.length);
        let offset = 0;
        let index = 0;
        for (;;) {
          const next = nextFrame(fd, size, offset, head);
          if (typeof next !== 'number') {
            result.check = { size, frames: index, validBytes: offset, tornTail: next };
            return;
          }
          const data = Buffer.allocUnsafe(next - offset - 4);
          readFully(fd, data, offset + 4);
          yield { index: index++, offset, data };
          offset = next;
        }
      } finally {
        fs.closeSync(fd);
      }
    },
  };
  return result;
}

/** The end of the frame at `offset`, null at a clean end, or the torn tail that begins there. */
function nextFrame(fd: number, size: number, offset: number, head: Buffer): number | TornTail | null {
  const left = size - offset;
  if (left === 0) return null;
  const torn = (reason: TornTail['reason']): TornTail => ({ offset, bytes: left, reason });
  if (left < 4) return torn('partial-length');
  const got = fs.readSync(fd, head, 0, Math.min(head.length, left), offset);
  const length = head.readUInt32BE(0);
  if (length < AGE_INTRO.length || length > MAX_FRAME_BYTES) return torn('bad-length');
  if (got < head.length || !head.subarray(4).equals(AGE_INTRO)) return torn(got < head.length ? 'partial-frame' : 'not-age');
  if (left < 4 + length) return torn('partial-frame');
  return offset + 4 + length;
}

function readFully(fd: number, into: Buffer, position: number): void {
  let done = 0;
  while (done < into.length) {
    const n = fs.readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new Error('Segment shrank while being read.');
    done += n;
  }
}
