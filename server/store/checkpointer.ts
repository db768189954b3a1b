import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from './database';
import { STORE_FILE } from './database';

/** How often the background thread moves the write-ahead log into the store. */
export const CHECKPOINT_INTERVAL_MS = 1_000;

// The thread's code: its own connection to the store, a PASSIVE checkpoint on every tick (it never
// waits for readers or writers), closed on 'stop'. Plain CommonJS so no bundle is needed.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const tick = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage({ error: err && err.code ? err.code : String(err) }); }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  tick();
  db.close();
  parentPort.close();
});
`;

/**
 * Checkpoints the store's write-ahead log from a thread of its own. Left to SQLite, a commit that
 * grows the log past 1,000 pages copies it into the store itself (with an fsync) — on the event
 * loop, inside a statistics flush, where it stalls every request in flight for tens of ms. Here the
 * serving connection never checkpoints (wal_autocheckpoint = 0) and the thread does it every
 * CHECKPOINT_INTERVAL_MS without blocking anyone (PASSIVE). `stop` runs a last one and ends the thread.
 */
export function startCheckpointer(db: Db, dataDir: string, onError: (code: string) => void): { stop(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD, { eval: true, workerData: { driver, file: path.join(dataDir, STORE_FILE), intervalMs: CHECKPOINT_INTERVAL_MS } });
  db.pragma('wal_autocheckpoint = 0');
  let lastError = '';
  worker.on('message', (m: { error?: string }) => {
    if (m.error && m.error !== lastError) onError(m.error);
    lastError = m.error ?? '';
  });
  // A thread that cannot run leaves checkpoints to SQLite again, as before.
  worker.on('error', (err) => {
    onError(err.message);
    db.pragma('wal_autocheckpoint = 1000');
  });
  worker.unref();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        // Unreferenced while it runs; now the process waits for its last checkpoint.
        worker.ref();
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 5_000).unref();
      }),
  };
}
