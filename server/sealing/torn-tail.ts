import fs from 'node:fs';
import { TORN_SUFFIX } from './segment-names';
import { checkSegment, type TornTail } from './segment-reader';

/** What recovery did with one segment's torn tail. */
export interface SetAside {
  segment: string;
  tornFile: string;
  tail: TornTail;
}

/**
 * Moves a segment's torn tail into `<segment>.torn` and truncates the segment to its whole frames,
 * so nothing is ever appended after (or read as part of) a broken frame, and the bytes are kept
 * for inspection rather than lost. Safe to repeat after a crash halfway: the side file is
 * rewritten with the same bytes before the segment is cut. Returns null when the segment is whole.
 */
export function setAsideTornTail(segmentPath: string): SetAside | null {
  const check = checkSegment(segmentPath);
  if (!check.tornTail) return null;
  const tail = check.tornTail;
  const tornFile = segmentPath + TORN_SUFFIX;
  const bytes = Buffer.alloc(tail.bytes);
  const fd = fs.openSync(segmentPath, 'r+');
  try {
    fs.readSync(fd, bytes, 0, tail.bytes, tail.offset);
    const side = fs.openSync(tornFile, 'w', 0o600);
    try {
      fs.writeSync(side, bytes);
      fs.fsyncSync(side);
    } catch (err) {
      // A full disk: leave no empty or partial side file behind (the segment keeps its tail, which readers stop before).
      fs.closeSync(side);
      fs.rmSync(tornFile, { force: true });
      throw err;
    }
    fs.closeSync(side);
    fs.ftruncateSync(fd, tail.offset);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return { segment: segmentPath, tornFile, tail };
}
