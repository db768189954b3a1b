import type { FrameJob } from './frame-sink';
import type { SetAside } from './torn-tail';

/** What the seal worker is started with. */
export interface SealWorkerData {
  sealedDir: string;
  maxSegmentBytes: number;
}

/** Main thread → seal worker: a batch of records, flat (RECORD_FIELDS values each, see access-record.ts). */
export type ToSealWorker = ({ type: 'frame'; id: number; fields: unknown[] } & Omit<FrameJob, 'ndjson'>) | { type: 'close' };

/** Seal worker → main thread. Nothing here ever holds record contents. */
export type FromSealWorker =
  | { type: 'ready'; recovered: SetAside[] }
  /** These frames are written and fdatasync'ed. */
  | { type: 'written'; ids: number[]; bytes: number; segment: string | null }
  | { type: 'failed'; id: number; message: string }
  | { type: 'closed' };
