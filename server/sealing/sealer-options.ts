import type { Logger } from '../log/logger';
import type { SetAside } from './torn-tail';

/** The key new batches are sealed to. */
export interface SealingTarget {
  id: string;
  recipient: string;
}

/** How a Sealer writes, batches and buffers. */
export interface SealerOptions {
  sealedDir: string;
  key: SealingTarget;
  log: Logger;
  /** Flush a batch once its records take about this many bytes (default 256 KiB). */
  maxBatchBytes?: number;
  /** Flush a batch at this many records (default 2000). */
  maxBatchRecords?: number;
  /** Flush a non-empty batch at the latest after this long (default 1000 ms). */
  flushMs?: number;
  /** Rotate segments at this size (default 64 MiB). */
  maxSegmentBytes?: number;
  /**
   * The buffer: records batched, with the worker, or waiting for a failing disk may take this many
   * bytes (default 64 MiB); beyond it they are dropped and counted. Near the limit `bufferFull` is set.
   */
  maxPendingBytes?: number;
  /** The buffer's limit in records (default: none, only bytes). */
  maxPendingRecords?: number;
  /** The worker's script; found automatically (see worker-script.ts) unless given. */
  workerScript?: string;
}

/** Counters for monitoring; no record contents. */
export interface SealerStats {
  recordsSealed: number;
  framesWritten: number;
  bytesWritten: number;
  /** Records refused because the buffer was full (the writer fell behind, or the disk failed for long). */
  droppedRecords: number;
  /** Records lost after they were buffered (a worker crash, still unwritten at shutdown, a frame that could not be sealed). */
  failedRecords: number;
  pendingRecords: number;
  /** Estimated NDJSON bytes not yet confirmed written (batched, with the worker, or waiting for the disk). */
  pendingBytes: number;
  /** The segment being written (path), once known. */
  segment: string | null;
  /** Torn tails set aside by recovery at start-up. */
  recovered: SetAside[];
  /** See Sealer.bufferFull. */
  bufferFull: boolean;
  /** Why frames cannot be written right now (they are kept and retried), or null. */
  writeError: SealerWriteError | null;
  /** The worker is down (crashed, not yet back): nothing is written meanwhile. */
  writerDown: boolean;
}

/** A disk error the seal worker keeps retrying after. */
export interface SealerWriteError {
  /** errno code: ENOSPC, EDQUOT, EIO, … */
  code: string;
  /** ms since the epoch when writing started failing. */
  since: number;
}

/** Part of the buffer kept for requests already in flight (and their 503 answers) once `bufferFull` is set. */
const RESERVE_FRACTION = 1 / 8;
/** At or below this share of the buffer, `bufferFull` is cleared (apart from the threshold, so it does not flap). */
const REOPEN_FRACTION = 1 / 2;

/** The options with defaults filled in. */
export type SealerLimits = Required<Omit<SealerOptions, 'key' | 'log' | 'workerScript'>>;

/** Fills in defaults, and where `bufferFull` is set and cleared ([bytes, records] each). */
export function resolveSealerOptions(options: SealerOptions): { limits: SealerLimits; fullAt: [number, number]; reopenAt: [number, number] } {
  const maxPendingBytes = options.maxPendingBytes ?? 64 * 1024 * 1024;
  const maxPendingRecords = options.maxPendingRecords ?? Infinity;
  const limits = {
    sealedDir: options.sealedDir,
    // A batch is at most the reserve, so a small buffer fills in steps the gate sees in time.
    maxBatchBytes: Math.min(options.maxBatchBytes ?? 256 * 1024, Math.max(1, Math.floor(maxPendingBytes * RESERVE_FRACTION))),
    maxBatchRecords: Math.min(options.maxBatchRecords ?? 2000, Math.max(1, Math.floor(maxPendingRecords * RESERVE_FRACTION))),
    flushMs: options.flushMs ?? 1000,
    maxSegmentBytes: options.maxSegmentBytes ?? 64 * 1024 * 1024,
    maxPendingBytes,
    maxPendingRecords,
  };
  return {
    limits,
    fullAt: [maxPendingBytes * (1 - RESERVE_FRACTION), maxPendingRecords * (1 - RESERVE_FRACTION)],
    reopenAt: [maxPendingBytes * REOPEN_FRACTION, maxPendingRecords * REOPEN_FRACTION],
  };
}
