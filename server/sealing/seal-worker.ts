import { parentPort, workerData } from 'node:worker_threads';
import { formatEncoded } from './access-record';
import { FrameSink } from './frame-sink';
import type { FromSealWorker, SealWorkerData, ToSealWorker } from './seal-worker-protocol';

// The seal worker thread: formats batches as NDJSON, encrypts them and appends them to segments, so
// none of that (nor any disk write) runs on the server's event loop. Frames that arrive together share one
// fdatasync (group commit); the main thread hears back only once its frames are durable.
// When writing fails (a full disk, an I/O error) the frames wait here, in order, and are retried with
// backoff until the disk takes them again; the main thread bounds how much may wait (its buffer).

const port = parentPort;
if (!port) throw new Error('seal-worker must run in a worker thread.');
const data = workerData as SealWorkerData;
const post = (msg: FromSealWorker) => port.postMessage(msg);

/** First and longest wait between retries of a failing write. */
const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 2_000;

/** Turns an fs error into a message without file contents (paths and codes only). */
const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));
/** The errno code of a disk error (ENOSPC, EIO, EDQUOT, …); undefined for anything else (a bug, a bad key). */
const errnoCode = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
};

/** A frame on its way to disk; sealed once, so a retry appends the same age file. */
interface Pending {
  id: number;
  hour: string;
  keyId: string;
  recipient: string;
  records: Uint8Array | null;
  file: Uint8Array | null;
}

const sink = new FrameSink({ sealedDir: data.sealedDir, maxSegmentBytes: data.maxSegmentBytes });
/** Received and not yet written, in order. */
const todo: Pending[] = [];
/** Written, waiting for the shared fdatasync. */
let unsynced: Pending[] = [];
let scheduled = false;
let retryTimer: NodeJS.Timeout | null = null;
let retryMs = 0;
let blockedCode: string | null = null;

function schedule(): void {
  if (scheduled || retryTimer) return;
  scheduled = true;
  // Messages that are already queued are handled before setImmediate runs: one sync for all of them.
  setImmediate(run);
}

/** Writes every waiting frame in order, then syncs them together; stops at the first disk error. */
function run(): void {
  scheduled = false;
  retryTimer = null;
  while (todo.length > 0) {
    const p = todo[0]!;
    if (!seal(p)) {
      todo.shift();
      continue;
    }
    // Frames before a segment switch are made durable first, so a rollback never spans two segments.
    if (unsynced.length > 0 && sink.wouldSwitch(p.hour, p.keyId, 4 + p.file!.length) && !commit()) return;
    try {
      sink.append(p.hour, p.keyId, p.file!);
    } catch (err) {
      if (errnoCode(err) === undefined) {
        todo.shift();
        post({ type: 'failed', id: p.id, message: describe(err) });
        continue;
      }
      // The frames before this one are whole: keep them if they can be synced.
      if (commit()) block(err);
      return;
    }
    todo.shift();
    unsynced.push(p);
  }
  if (commit()) unblock();
}

/** Encrypts a frame's records (once); false, and the main thread told, when they cannot be sealed. */
function seal(p: Pending): boolean {
  if (p.file) return true;
  try {
    p.file = sink.seal({ keyId: p.keyId, recipient: p.recipient, ndjson: formatEncoded(p.records!) });
    p.records = null;
    return true;
  } catch (err) {
    post({ type: 'failed', id: p.id, message: describe(err) });
    return false;
  }
}

/** Everything kept after a failure is written: tells the main thread (before the confirmation, so a drain sees it). */
function unblock(): void {
  if (blockedCode === null || todo.length > 0) return;
  blockedCode = null;
  retryMs = 0;
  post({ type: 'unblocked' });
}

/** Syncs what was written and confirms it; on failure the writer has cut those frames off, so they go back to the front of the queue. */
function commit(): boolean {
  if (unsynced.length === 0) return true;
  const done = unsynced;
  unsynced = [];
  try {
    sink.sync();
  } catch (err) {
    todo.unshift(...done);
    block(err);
    return false;
  }
  let bytes = 0;
  for (const p of done) bytes += 4 + p.file!.length;
  unblock();
  post({ type: 'written', ids: done.map((p) => p.id), bytes, segment: sink.current()?.path ?? null });
  return true;
}

/** Writing failed: tells the main thread (once per cause) and retries later, waiting longer each time. */
function block(err: unknown): void {
  const code = errnoCode(err) ?? 'EUNKNOWN';
  if (code !== blockedCode) {
    blockedCode = code;
    post({ type: 'blocked', code, message: describe(err) });
  }
  retryMs = Math.min(RETRY_MAX_MS, retryMs ? retryMs * 2 : RETRY_MIN_MS);
  retryTimer = setTimeout(run, retryMs);
}

port.on('message', (msg: ToSealWorker) => {
  if (msg.type === 'close') {
    if (retryTimer) clearTimeout(retryTimer);
    // The main thread counted whatever it has not heard back about as lost: write none of it now.
    todo.length = 0;
    try {
      sink.discardUnsynced();
      sink.close();
    } catch {
      // the disk still fails; recovery at the next start deals with the segment
    }
    post({ type: 'closed' });
    port.close();
    return;
  }
  if (msg.type === 'inject-fault') {
    sink.injectFault(msg.code);
    return;
  }
  const p: Pending = { id: msg.id, hour: msg.hour, keyId: msg.keyId, recipient: msg.recipient, records: msg.records, file: null };
  // While writes fail, frames are sealed on arrival: what waits then takes no more memory than its ciphertext.
  // (Otherwise run() seals them, so this handler stays short and the group commit is not held up.)
  if (retryTimer && !seal(p)) return;
  todo.push(p);
  schedule();
});

try {
  post({ type: 'ready', recovered: sink.recover() });
} catch (err) {
  // Recovery failing (e.g. the sealed directory is not writable) is fatal for the worker; the main thread reports it.
  throw new Error(`Sealed-log recovery failed: ${describe(err)}`, { cause: err });
}
