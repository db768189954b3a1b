import { Worker } from 'node:worker_threads';
import { RecordEncoder, type AccessRecord } from './access-record';
import { hourBucket, hourKey } from './segment-names';
import type { Recovery } from './frame-sink';
import type { FromSealWorker, SealWorkerData, ToSealWorker } from './seal-worker-protocol';
import { resolveSealerOptions, type SealerLimits, type SealerOptions, type SealerStats, type SealerWriteError, type SealingTarget } from './sealer-options';
import { sealWorkerScript } from './worker-script';

// Re-exported: the unsealing tests and benchmarks build records the way the sealer writes them.
export { accessRecordLine, type AccessRecord } from './access-record';
export type { SealerOptions, SealerStats, SealerWriteError, SealingTarget } from './sealer-options';

const DROP_WARNING_INTERVAL_MS = 60_000;
const RESTART_DELAY_MS = 1_000;
/** JSON keys, time, status and bytes of a line: enough to size batches and the queue. */
const RECORD_OVERHEAD = 110;
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Collects access records in memory and hands full batches (about 256 KiB, 2000 records or 1 s) to
 * the seal worker thread, which formats, encrypts and appends them. `push` is all the delivery path
 * ever calls: it never waits and never touches the disk. When the disk fails, the worker keeps the
 * frames and retries; everything not yet written stays within one bounded buffer, and once that
 * is nearly full `bufferFull` tells delivery to refuse requests rather than serve them unlogged.
 */
export class Sealer {
  /**
   * Set when the buffer is (nearly) full, cleared when it has drained to half: while set, delivery
   * answers 503 (a field, not a method: the delivery gate reads it on every request).
   */
  bufferFull = false;
  /** Records not yet handed to the worker, encoded into one buffer that is transferred, not copied. */
  private readonly batch = new RecordEncoder();
  private batchRecords = 0;
  /** Estimated NDJSON bytes of `batch`. */
  private batchBytes = 0;
  private batchBucket = -1;
  private timer: NodeJS.Timeout | null = null;
  private key: SealingTarget;
  private worker: Worker | null = null;
  private ready = false;
  private everReady = false;
  private closing = false;
  private backlog: Array<Extract<ToSealWorker, { type: 'frame' }>> = [];
  private readonly inFlight = new Map<number, { records: number; bytes: number }>();
  private nextId = 1;
  private waiters: Array<() => void> = [];
  private lastDropWarning = 0;
  private droppedSinceWarning = 0;
  private writeError: SealerWriteError | null = null;
  private readonly counters: Omit<SealerStats, 'bufferFull' | 'writeError' | 'writerDown'> = {
    recordsSealed: 0, framesWritten: 0, bytesWritten: 0, droppedRecords: 0, failedRecords: 0,
    pendingRecords: 0, pendingBytes: 0, segment: null, recovered: [],
  };
  private readonly o: SealerLimits;
  /** bufferFull is set above these (bytes, records) and cleared at or below the reopen ones. */
  private readonly fullAt: [number, number];
  private readonly reopenAt: [number, number];

  private constructor(private readonly options: SealerOptions, private readonly script: string) {
    this.key = options.key;
    ({ limits: this.o, fullAt: this.fullAt, reopenAt: this.reopenAt } = resolveSealerOptions(options));
  }

  /** Starts the worker, which first recovers from a crash (sets aside torn tails); resolves when it is ready. */
  static async start(options: SealerOptions): Promise<Sealer> {
    const sealer = new Sealer(options, options.workerScript ?? (await sealWorkerScript()));
    await sealer.startWorker();
    return sealer;
  }

  /**
   * Queues one record; the hot path. It only appends the fields to a buffer: formatting the NDJSON,
   * encryption and writing all happen in the worker thread.
   */
  push(record: AccessRecord): void {
    this.pushFields(record.t, record.ip, record.method, record.url, record.status, record.bytes, record.referrer, record.userAgent);
  }

  /**
   * `push` without the record object: the delivery listener's finish hook passes the fields straight
   * from the request (accessRecorder). Same checks, same batch, same record.
   */
  pushFields(t: number, ip: string, method: string, url: string, status: number, bytes: number, referrer: string | undefined, userAgent: string | undefined): void {
    const size = RECORD_OVERHEAD + ip.length + url.length + (referrer === undefined ? 0 : referrer.length) + (userAgent === undefined ? 0 : userAgent.length);
    const pendingBytes = this.counters.pendingBytes + this.batchBytes + size;
    const records = this.counters.pendingRecords + this.batchRecords + 1;
    if (this.closing || pendingBytes > this.o.maxPendingBytes || records > this.o.maxPendingRecords) return this.drop();
    if (!this.bufferFull && (pendingBytes > this.fullAt[0] || records > this.fullAt[1])) this.setFull(true);
    const bucket = hourBucket(t);
    // A frame never spans two hours, so a segment's name tells the hour of every record in it.
    if (bucket !== this.batchBucket && this.batchRecords > 0) this.flush();
    this.batchBucket = bucket;
    this.batch.append(t, ip, method, url, status, bytes, referrer, userAgent);
    this.batchRecords++;
    this.batchBytes += size;
    if (this.batchBytes >= this.o.maxBatchBytes || this.batchRecords >= this.o.maxBatchRecords) this.flush();
    else if (!this.timer) this.timer = setTimeout(this.flushLater, this.o.flushMs).unref();
  }

  private readonly flushLater = () => this.flush();

  /** Seals new batches to `key` (after a ceremony); what is already batched goes to the old key. */
  useKey(key: SealingTarget): void {
    this.flush();
    this.key = key;
  }

  /** Hands the current batch to the worker now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.batchRecords === 0) return;
    const count = this.batchRecords;
    const bytes = this.batchBytes;
    const records = this.batch.take();
    this.batchRecords = 0;
    this.batchBytes = 0;
    const id = this.nextId++;
    const job = { type: 'frame' as const, id, hour: hourKey(this.batchBucket), keyId: this.key.id, recipient: this.key.recipient, records };
    this.inFlight.set(id, { records: count, bytes });
    this.counters.pendingRecords += count;
    this.counters.pendingBytes += bytes;
    if (this.ready) this.post(job);
    else this.backlog.push(job);
  }

  /** Flushes and resolves once everything pushed so far is on disk (or counted as failed). */
  async drain(): Promise<void> {
    this.flush();
    if (this.inFlight.size === 0) return;
    // Keep the process alive until the worker has confirmed (see startWorker: it is unref'd otherwise).
    const worker = this.worker;
    worker?.ref();
    await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (worker && !this.closing) worker.unref();
  }

  /** Flushes, waits (up to 10 s) for the worker to write and sync everything, and stops it. Later pushes are dropped. */
  async close(): Promise<void> {
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
    await Promise.race([this.drain(), deadline]);
    this.closing = true;
    // Whatever is still unconfirmed (a worker that died and did not come back, a disk that still fails) is counted, not hidden.
    for (const id of [...this.inFlight.keys()]) this.settle(id, false);
    this.backlog = [];
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    worker.ref();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void worker.terminate().then(() => resolve()), CLOSE_TIMEOUT_MS);
      worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      worker.postMessage({ type: 'close' } satisfies ToSealWorker);
    });
  }

  /** Monitoring counters and the state health checks report. */
  stats(): SealerStats {
    return {
      ...this.counters, pendingRecords: this.counters.pendingRecords + this.batchRecords, pendingBytes: this.counters.pendingBytes + this.batchBytes,
      recovered: [...this.counters.recovered], bufferFull: this.bufferFull, writeError: this.writeError && { ...this.writeError },
      writerDown: !this.ready && !this.closing,
    };
  }

  /** Test seam (full-disk tests where no small volume can be mounted): every write fails with `code` (null: stop). */
  injectWriteFault(code: string | null): void {
    this.worker?.postMessage({ type: 'inject-fault', code } satisfies ToSealWorker);
  }

  private post(job: Extract<ToSealWorker, { type: 'frame' }>): void {
    // The batch's buffer moves to the worker (no copy); a job is posted once (see the exit handler).
    this.worker!.postMessage(job, [job.records.buffer as ArrayBuffer]);
  }

  private setFull(full: boolean): void {
    this.bufferFull = full;
    const fields = { pendingRecords: this.counters.pendingRecords + this.batchRecords, pendingBytes: this.counters.pendingBytes + this.batchBytes };
    if (full) this.options.log.error('sealed-log buffer is full: delivery answers 503 until records can be written', fields);
    else this.options.log.info('sealed-log buffer has room again: delivery serves again', fields);
  }

  private drop(): void {
    this.counters.droppedRecords++;
    this.droppedSinceWarning++;
    const now = Date.now();
    if (now - this.lastDropWarning >= DROP_WARNING_INTERVAL_MS) {
      this.options.log.warn('sealed log writer is behind: access records dropped', {
        dropped: this.droppedSinceWarning, droppedTotal: this.counters.droppedRecords, pendingBytes: this.counters.pendingBytes,
      });
      this.lastDropWarning = now;
      this.droppedSinceWarning = 0;
    }
  }

  private settle(id: number, ok: boolean): void {
    const job = this.inFlight.get(id);
    if (!job) return;
    this.inFlight.delete(id);
    this.counters.pendingRecords -= job.records;
    this.counters.pendingBytes -= job.bytes;
    if (ok) {
      this.counters.recordsSealed += job.records;
      this.counters.framesWritten++;
    } else {
      this.counters.failedRecords += job.records;
    }
    if (this.bufferFull && this.counters.pendingBytes + this.batchBytes <= this.reopenAt[0] && this.counters.pendingRecords + this.batchRecords <= this.reopenAt[1]) {
      this.setFull(false);
    }
    if (this.inFlight.size === 0) for (const resolve of this.waiters.splice(0)) resolve();
  }

  private startWorker(): Promise<void> {
    const data: SealWorkerData = { sealedDir: this.o.sealedDir, maxSegmentBytes: this.o.maxSegmentBytes };
    const worker = new Worker(this.script, { workerData: data });
    // An idle worker must not keep the process alive (e.g. when a later feature fails to start);
    // drain() and close() hold a reference while they wait for it.
    worker.unref();
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (msg: FromSealWorker) => {
        if (msg.type === 'ready') {
          this.reportRecovery(msg.recovered);
          this.writeError = null;
          this.ready = true;
          this.everReady = true;
          for (const job of this.backlog.splice(0)) this.post(job);
          resolve();
        } else if (msg.type === 'written') {
          this.counters.bytesWritten += msg.bytes;
          this.counters.segment = msg.segment;
          for (const id of msg.ids) this.settle(id, true);
        } else if (msg.type === 'failed') {
          this.options.log.error('sealed log frame could not be written', { error: msg.message });
          this.settle(msg.id, false);
        } else if (msg.type === 'blocked') {
          this.writeError = { code: msg.code, since: this.writeError?.since ?? Date.now() };
          this.options.log.error('sealed log cannot be written; access records are kept in memory and retried', {
            code: msg.code, error: msg.message, pendingRecords: this.counters.pendingRecords, pendingBytes: this.counters.pendingBytes,
          });
        } else if (msg.type === 'unblocked') {
          this.options.log.info('sealed log is written again; the kept access records are on disk', { failingForMs: Date.now() - (this.writeError?.since ?? Date.now()) });
          this.writeError = null;
        }
      });
      worker.on('error', (err) => {
        if (!this.ready) reject(err);
        else this.options.log.error('seal worker failed', { error: err.message });
      });
      worker.on('exit', () => {
        if (this.worker !== worker) return; // closed on purpose
        this.ready = false;
        this.writeError = null;
        this.worker = null;
        // Frames the dead worker had not confirmed are lost: count them, never pretend they were written.
        for (const id of [...this.inFlight.keys()]) if (!this.backlog.some((j) => j.id === id)) this.settle(id, false);
        if (this.closing || !this.everReady) return;
        setTimeout(() => {
          // Closed meanwhile: a new worker would run crash recovery on a directory that may have a new writer.
          if (this.closing) return;
          this.startWorker().catch((err: Error) => this.options.log.error('seal worker restart failed', { error: err.message }));
        }, RESTART_DELAY_MS).unref();
      });
    });
  }

  private reportRecovery(recovered: Recovery): void {
    this.counters.recovered.push(...recovered.setAside);
    for (const r of recovered.setAside) {
      this.options.log.warn('sealed segment ended in a torn frame (crash while writing); set the tail aside', {
        segment: r.segment, tornFile: r.tornFile, bytes: r.tail.bytes, reason: r.tail.reason,
      });
    }
    for (const f of recovered.failed) {
      this.options.log.warn('could not set aside the torn tail of a sealed segment; it stays (readers stop before it)', { segment: f.segment, error: f.error });
    }
  }
}
