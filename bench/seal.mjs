#!/usr/bin/env node
// Sealing throughput: `npm run bench:seal [-- --records N]` (default 1,000,000 records).
// Phases, each on ONE core unless said otherwise:
//   serialize    batch the records' fields (what the delivery hook does) and format them as NDJSON
//                (what the seal worker does first)
//   seal         serialize + age-encrypt each batch (256 KiB / 2000 records) with node:crypto
//   seal+write   the same plus appending frames to segments (one fdatasync per 16 frames, as the
//                worker's group commit does under load), i.e. everything one core does
//   age-encryption   the pure-JS package on the same batches (subset), for comparison
//   Sealer       end to end: main thread pushes, the worker thread encrypts and writes (2 threads)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Encrypter } from 'age-encryption';
import { BENCH_SECRET, loadSealing, makeRecords } from './seal-lib.mjs';

const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, json: { type: 'boolean' } } });
const N = Number(values.records);
if (!Number.isInteger(N) || N < 1000) throw new Error('--records must be a whole number ≥ 1000');

const S = await loadSealing();
const id = S.createTestIdentity(BENCH_SECRET);
const POOL = makeRecords(50_000);
const HOUR = Date.parse('2025-03-10T08:00:00Z');
// Records come from a pool (generating 1M distinct ones would measure the generator); only the time varies.
const record = (i) => {
  const r = POOL[i % POOL.length];
  r.t = HOUR + Math.floor((i / N) * 3_599_000);
  return r;
};
// The Sealer's defaults (sealer.ts).
const MAX_BATCH_BYTES = 256 * 1024;
const MAX_BATCH_RECORDS = 2000;

/** Batches records as the Sealer does (flat fields, 256 KiB or 2000 records), formats each batch as the worker does, and hands it to `onBatch`. */
function batches(count, onBatch) {
  let fields = [];
  let n = 0;
  let estimate = 0;
  let bytes = 0;
  const done = () => {
    const buf = S.formatRecords(fields);
    bytes += buf.length;
    onBatch(buf, n);
    fields = [];
    n = 0;
    estimate = 0;
  };
  for (let i = 0; i < count; i++) {
    const r = record(i);
    fields.push(r.t, r.ip, r.method, r.url, r.status, r.bytes, r.referrer, r.userAgent);
    estimate += 110 + r.ip.length + r.url.length + (r.referrer?.length ?? 0) + (r.userAgent?.length ?? 0);
    if (estimate >= MAX_BATCH_BYTES || ++n >= MAX_BATCH_RECORDS) done();
  }
  if (n) done();
  return bytes;
}

function timed(name, count, fn) {
  const start = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const bytes = fn();
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  // Per CPU-second as well: on a shared machine the wall clock also measures the neighbours.
  return { phase: name, records: count, seconds: +s.toFixed(3), recordsPerSec: Math.round(count / s), mbPerSec: +(bytes / s / 1e6).toFixed(1), cpuSeconds: +cpuS.toFixed(3), recordsPerCpuSec: Math.round(count / cpuS) };
}

const results = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-bench-seal-'));
try {
  // Warm up the JIT and OpenSSL.
  const warm = new S.AgeX25519Encryptor(id.recipient);
  batches(20_000, (b) => warm.encrypt(b));

  results.push(timed('serialize', N, () => batches(N, () => {})));

  const enc = new S.AgeX25519Encryptor(id.recipient);
  let sealedBytes = 0;
  results.push(timed('seal (serialize+batch+encrypt)', N, () => batches(N, (b) => (sealedBytes += enc.encrypt(b).length))));

  const sink = new S.FrameSink({ sealedDir: tmp, maxSegmentBytes: 64 * 1024 * 1024 });
  let frames = 0;
  results.push(timed('seal+write (incl. fdatasync per 16 frames)', N, () => batches(N, (b) => {
    sink.write({ hour: S.hourKey(S.hourBucket(HOUR)), keyId: 'sk_bench', recipient: id.recipient, ndjson: b });
    if (++frames % 16 === 0) sink.sync();
  })));
  sink.close();
  const segments = S.listSegments(tmp);
  const onDisk = segments.reduce((n, s) => n + s.size, 0);

  // The pure-JS package, on a fifth of the records (it is much slower).
  const js = new Encrypter();
  js.addRecipient(id.recipient);
  const jsBatches = [];
  const subset = Math.max(1000, Math.floor(N / 5));
  const plainBytes = batches(subset, (b) => jsBatches.push(b));
  const jsStart = process.hrtime.bigint();
  for (const b of jsBatches) await js.encrypt(b);
  const jsS = Number(process.hrtime.bigint() - jsStart) / 1e9;
  results.push({ phase: 'age-encryption (pure JS, encrypt only)', records: subset, seconds: +jsS.toFixed(3), recordsPerSec: Math.round(subset / jsS), mbPerSec: +(plainBytes / jsS / 1e6).toFixed(1) });

  // End to end with the worker thread: push as fast as the queue allows.
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  const quiet = { info() {}, warn() {}, error() {} };
  const sealer = await S.Sealer.start({ sealedDir: tmp, key: { id: 'sk_bench', recipient: id.recipient }, log: quiet });
  const start = process.hrtime.bigint();
  let pushNs = 0n;
  for (let i = 0; i < N; ) {
    const t0 = process.hrtime.bigint();
    for (const end = Math.min(N, i + 5000); i < end; i++) sealer.push(record(i));
    pushNs += process.hrtime.bigint() - t0;
    // Let the worker's confirmations in; back off when the queue is deep (as real traffic would not exceed it).
    while (sealer.stats().pendingBytes > 16 * 1024 * 1024) await new Promise((r) => setTimeout(r, 1));
    await new Promise((r) => setImmediate(r));
  }
  await sealer.close();
  const e2e = Number(process.hrtime.bigint() - start) / 1e9;
  const st = sealer.stats();
  results.push({
    phase: 'Sealer end to end (main thread + worker)', records: N, seconds: +e2e.toFixed(3), recordsPerSec: Math.round(N / e2e),
    mbPerSec: +(st.bytesWritten / e2e / 1e6).toFixed(1), mainThreadUsPerRecord: +(Number(pushNs) / 1e3 / N).toFixed(3),
    sealed: st.recordsSealed, dropped: st.droppedRecords, failed: st.failedRecords,
  });

  if (values.json) console.log(JSON.stringify({ records: N, frames, segments: segments.length, sealedBytes, onDisk, results }));
  else {
    console.log(`sealing benchmark: ${N.toLocaleString('en')} records, ${frames} frames, ${segments.length} segment(s), ${(onDisk / 1e6).toFixed(1)} MB sealed on disk (node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'})`);
    console.table(results);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
