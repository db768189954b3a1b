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
  recover(): SetAside[] {
    return this.writer.recover();
  }

  /** Seals one batch and appends it; returns the frame's size in bytes. */
  write(job: FrameJob): number {
    let encryptor = this.encryptors.get(job.keyId);
    if (!encryptor || encryptor.recipient !== job.recipient) {
      encryptor = new AgeX25519Encryptor(job.recipient);
      this.encryptors.set(job.keyId, encryptor);
    }
    const file = encryptor.encrypt(job.ndjson);
    this.writer.append(job.hour, job.keyId, file);
    return 4 + file.length;
  }

  /** Makes the frames written so far durable. */
  sync(): void {
    this.writer.sync();
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
