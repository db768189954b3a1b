import type { FrameJob, Recovery } from './frame-sink';

/** What the seal worker is started with. */
export interface SealWorkerData {
  sealedDir: string;
  maxSegmentBytes: number;
}

/** Main thread → seal worker: a batch of records as RecordEncoder writes them (access-record.ts), its buffer transferred. */
export type ToSealWorker =
  | ({ type: 'frame'; id: number; records: Uint8Array } & Omit<FrameJob, 'ndjson'>)
  | { type: 'close' }
  /** Test seam: every write fails with this errno code from now on (null: writes work again). */
  | { type: 'inject-fault'; code: string | null };

/** Seal worker → main thread. Nothing here ever holds record contents. */
export type FromSealWorker =
  | { type: 'ready'; recovered: Recovery }
  /** These frames are written and fdatasync'ed. */
  | { type: 'written'; ids: number[]; bytes: number; segment: string | null }
  /** This frame can never be written (not a disk error: e.g. it could not be sealed); it is dropped. */
  | { type: 'failed'; id: number; message: string }
  /**
   * Writing fails (errno `code`, e.g. ENOSPC); frames are kept in order and retried with backoff.
   * Sent when writing starts failing and when the cause changes; `message` names paths and codes only.
   */
  | { type: 'blocked'; code: string; message: string }
  /** Every frame kept after a failure has been written: writing works again. */
  | { type: 'unblocked' }
  | { type: 'closed' };
