import { AgeX25519Encryptor } from './age-encrypt';
import { SegmentWriter, type SegmentWriterOptions } from './segment-writer';
import type { SetAside } from './torn-tail';

/** One batch to seal: NDJSON records of one hour, for one key. */
export interface FrameJob {
  /** `YYYYMMDDTHH` of every record in the batch. */
  hour: string;
  keyId: string;
  recipient: string;
  ndjson: Uint8Array;
}

/** What start-up recovery did: torn tails set aside, and segments it could not treat (left as they are). */
export interface Recovery {
  setAside: SetAside[];
  failed: Array<{ segment: string; error: string }>;
}

/**
 * Encrypts batches as complete age files and appends them as frames to segments. Synchronous and
 * single-threaded: the seal worker runs it off the event loop; the benchmark runs it directly.
 */
export class FrameSink {
  private readonly writer: SegmentWriter;
  private readonly encryptors = new Map<string, AgeX25519Encryptor>();

  constructor(options: SegmentWriterOptions) {
    this.writer = new SegmentWriter(options);
  }

  /** Sets aside torn tails a crash left behind; call once before writing. */
  recover(): Recovery {
    return this.writer.recover();
  }

  /** Seals one batch and appends it; returns the frame's size in bytes. */
  write(job: FrameJob): number {
    const file = this.seal(job);
    this.append(job.hour, job.keyId, file);
    return 4 + file.length;
  }

  /** Encrypts a batch as one age file (kept by the caller, so a failed append is retried without sealing again). */
  seal(job: Omit<FrameJob, 'hour'>): Uint8Array {
    let encryptor = this.encryptors.get(job.keyId);
    if (!encryptor || encryptor.recipient !== job.recipient) {
      encryptor = new AgeX25519Encryptor(job.recipient);
      this.encryptors.set(job.keyId, encryptor);
    }
    return encryptor.encrypt(job.ndjson);
  }

  /** Appends a sealed age file as a frame (see SegmentWriter.append for what a failure leaves). */
  append(hour: string, keyId: string, file: Uint8Array): void {
    this.writer.append(hour, keyId, file);
  }

  /** Whether the next frame would go to another segment (the seal worker syncs before that). */
  wouldSwitch(hour: string, keyId: string, frameBytes: number): boolean {
    return this.writer.wouldSwitch(hour, keyId, frameBytes);
  }

  /** Makes the frames written so far durable; a SyncFailedError means they were cut off. */
  sync(): void {
    this.writer.sync();
  }

  /** Cuts frames not yet synced (shutdown with writes still failing: they are counted as lost). */
  discardUnsynced(): void {
    this.writer.discardUnsynced();
  }

  /** Test seam: makes every write fail with this errno code (null: stop). */
  injectFault(code: string | null): void {
    this.writer.injectFault(code);
  }

  /** The segment being appended to. */
  current(): { path: string; size: number } | null {
    return this.writer.current();
  }

  /** Syncs and closes the open segment. */
  close(): void {
    this.writer.closeSegment();
  }
}
