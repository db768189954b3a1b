import { isAscii } from 'node:buffer';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { AgeFileDecryptor } from '../sealing/age-native-decrypt';
import { listSegments, readSegment, type SegmentInfo } from '../sealing/segment-reader';
import { RecordStore } from './record-store';

/** Progress of a running scan, as GET /api/cases/:id shows it. */
export interface ScanProgress {
  segmentsDone: number;
  segmentsTotal: number;
  records: number;
}

/** What a scan found; counts only, besides the matching records. */
export interface ScanResult {
  /** The matching records' lines. */
  store: RecordStore;
  segments: number;
  frames: number;
  /** Frames that failed authentication (damaged, or sealed to another key); skipped, never misread. */
  framesUnreadable: number;
  /** Segments deleted (by retention) between listing and reading. */
  segmentsMissing: number;
  /** Segments ending in an incomplete frame (a crash, or the frame being written right now). */
  tornTails: number;
  /** More records matched than `maxRecords`; the rest were not kept. */
  truncated: boolean;
}

export interface ScanOptions {
  sealedDir: string;
  window: { from: Date; to: Date };
  /** One decryptor per key id; segments sealed to any other key are not read. */
  decryptors: ReadonlyMap<string, AgeFileDecryptor>;
  match: (line: string) => boolean;
  maxRecords: number;
  onProgress?: (p: ScanProgress) => void;
  /** Work this long, then let the event loop serve requests (ms). */
  sliceMs?: number;
  /** Stops the scan early (case closed meanwhile). */
  cancelled?: () => boolean;
}

/**
 * Decrypts only the segments overlapping the window, sealed to the given keys, and keeps the records
 * matching the case. Runs in slices on the main thread so the server stays responsive; decryption is
 * native (node:crypto), which keeps a slice short.
 */
export async function scanSegments(o: ScanOptions): Promise<ScanResult> {
  const segments = listSegments(o.sealedDir, o.window).filter((s) => o.decryptors.has(s.keyId));
  const result: ScanResult = { store: new RecordStore(), segments: segments.length, frames: 0, framesUnreadable: 0, segmentsMissing: 0, tornTails: 0, truncated: false };
  const sliceMs = o.sliceMs ?? 10;
  const progress = (done: number) => o.onProgress?.({ segmentsDone: done, segmentsTotal: segments.length, records: result.store.count });
  progress(0);
  try {
    await scanInto(segments, o, result, progress, sliceMs);
  } catch (err) {
    result.store.wipe(); // a failed scan must not leave the records it already unsealed in memory
    throw err;
  }
  return result;
}

async function scanInto(segments: SegmentInfo[], o: ScanOptions, result: ScanResult, progress: (done: number) => void, sliceMs: number): Promise<void> {
  let sliceStart = performance.now();
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const decryptor = o.decryptors.get(segment.keyId)!;
    const frames = readSegment(segment.path);
    try {
      for (const frame of frames) {
        if (o.cancelled?.()) {
          result.store.wipe();
          return;
        }
        result.frames++;
        let plain: Buffer | null;
        try {
          plain = decryptor.decrypt(frame.data);
        } catch {
          plain = null;
        }
        if (!plain) {
          result.framesUnreadable++;
          continue;
        }
        collect(plain, o, result);
        plain.fill(0);
        if (performance.now() - sliceStart >= sliceMs) {
          progress(i);
          await yieldToLoop();
          sliceStart = performance.now();
        }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      result.segmentsMissing++; // removed by retention after it was listed
    }
    if (frames.check?.tornTail) result.tornTails++;
    progress(i + 1);
  }
}

function collect(plain: Buffer, o: ScanOptions, result: ScanResult): void {
  // Most frames are pure ASCII: decoded as latin1 they are the same text at half the cost, and
  // string offsets are byte offsets, so matching lines are copied straight from the frame.
  const ascii = isAscii(plain);
  const text = ascii ? plain.toString('latin1') : plain.toString('utf8');
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    if (o.match(line)) {
      if (result.store.count >= o.maxRecords) result.truncated = true;
      else if (ascii) result.store.append(plain, start, end);
      else result.store.appendLine(line);
    }
    start = end + 1;
  }
}
