import { parentPort, workerData } from 'node:worker_threads';
import { formatRecords } from './access-record';
import { FrameSink } from './frame-sink';
import type { FromSealWorker, SealWorkerData, ToSealWorker } from './seal-worker-protocol';

// The seal worker thread: formats batches as NDJSON, encrypts them and appends them to segments, so
// none of that (nor any disk write) runs on the server's event loop. Frames that arrive together share one
// fdatasync (group commit); the main thread hears back only once its frames are durable.

const port = parentPort;
if (!port) throw new Error('seal-worker must run in a worker thread.');
const data = workerData as SealWorkerData;
const post = (msg: FromSealWorker) => port.postMessage(msg);

/** Turns an fs error into a message without file contents (paths and codes only). */
const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

const sink = new FrameSink({ sealedDir: data.sealedDir, maxSegmentBytes: data.maxSegmentBytes });
let unsynced: number[] = [];
let unsyncedBytes = 0;
let syncScheduled = false;

function syncAndAck(): void {
  syncScheduled = false;
  if (unsynced.length === 0) return;
  const ids = unsynced;
  const bytes = unsyncedBytes;
  unsynced = [];
  unsyncedBytes = 0;
  try {
    sink.sync();
    post({ type: 'written', ids, bytes, segment: sink.current()?.path ?? null });
  } catch (err) {
    for (const id of ids) post({ type: 'failed', id, message: `fdatasync failed: ${describe(err)}` });
  }
}

port.on('message', (msg: ToSealWorker) => {
  if (msg.type === 'close') {
    if (syncScheduled) syncAndAck();
    sink.close();
    post({ type: 'closed' });
    port.close();
    return;
  }
  try {
    unsyncedBytes += sink.write({ hour: msg.hour, keyId: msg.keyId, recipient: msg.recipient, ndjson: formatRecords(msg.fields) });
    unsynced.push(msg.id);
  } catch (err) {
    post({ type: 'failed', id: msg.id, message: describe(err) });
  }
  // Messages that are already queued are handled before setImmediate runs: one sync for all of them.
  if (!syncScheduled && unsynced.length > 0) {
    syncScheduled = true;
    setImmediate(syncAndAck);
  }
});

try {
  post({ type: 'ready', recovered: sink.recover() });
} catch (err) {
  // Recovery failing (e.g. the sealed directory is not writable) is fatal for the worker; the main thread reports it.
  throw new Error(`Sealed-log recovery failed: ${describe(err)}`, { cause: err });
}
