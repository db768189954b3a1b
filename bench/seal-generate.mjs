#!/usr/bin/env node
// Writes sealed access logs for benchmarks and tests of the unsealing scan, sealed to a fixed,
// published benchmark key (never use it for real logs):
//   node bench/seal-generate.mjs --out DIR [--records 1000000] [--from 2025-03-10T00:00:00Z] [--hours 24] [--identity-out FILE]
// DIR gets the usual layout (DIR/YYYY-MM/<YYYYMMDDTHH>-sk_bench-<n>.seal); the identity that opens
// them is printed (and written to --identity-out). From code: `import { generateSealedLogs } from './seal-generate.mjs'`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_KEY_ID, BENCH_SECRET, loadSealing, makeRecords } from './seal-lib.mjs';

/**
 * Seals `records` realistic access records spread evenly over `hours` hours from `from` into
 * `dir`, in 256 KiB frames as the Sealer writes them. Resolves with the key and what was written.
 */
export async function generateSealedLogs({ dir, records = 1_000_000, from = '2025-03-10T00:00:00Z', hours = 24 }) {
  const S = await loadSealing();
  const id = S.createTestIdentity(BENCH_SECRET);
  const start = Date.parse(from);
  if (Number.isNaN(start)) throw new Error(`--from must be an ISO time, not "${from}"`);
  const spanMs = hours * 3_600_000;
  const sink = new S.FrameSink({ sealedDir: dir, maxSegmentBytes: 64 * 1024 * 1024 });
  let text = '';
  let n = 0;
  let bucket = -1;
  let frames = 0;
  let bytes = 0;
  const flush = () => {
    if (!n) return;
    bytes += sink.write({ hour: S.hourKey(bucket), keyId: BENCH_KEY_ID, recipient: id.recipient, ndjson: Buffer.from(text) });
    frames++;
    text = '';
    n = 0;
  };
  const CHUNK = 50_000;
  for (let done = 0; done < records; done += CHUNK) {
    const count = Math.min(CHUNK, records - done);
    const chunk = makeRecords(count, { from: start + Math.floor((done / records) * spanMs), spanMs: Math.floor((count / records) * spanMs), seed: 1 + done });
    for (const r of chunk) {
      const b = S.hourBucket(r.t);
      if (b !== bucket) {
        flush();
        bucket = b;
      }
      text += S.accessRecordLine(r);
      if (text.length >= 256 * 1024 || ++n >= 2000) flush();
    }
  }
  flush();
  sink.close();
  return { identity: id.identity, recipient: id.recipient, keyId: BENCH_KEY_ID, records, frames, bytes, segments: S.listSegments(dir).length };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, records: { type: 'string', default: '1000000' }, from: { type: 'string', default: '2025-03-10T00:00:00Z' }, hours: { type: 'string', default: '24' }, 'identity-out': { type: 'string' } },
  });
  if (!values.out) {
    console.error('usage: node bench/seal-generate.mjs --out DIR [--records N] [--from ISO] [--hours H] [--identity-out FILE]');
    process.exit(2);
  }
  const t0 = Date.now();
  const result = await generateSealedLogs({ dir: path.resolve(values.out), records: Number(values.records), from: values.from, hours: Number(values.hours) });
  if (values['identity-out']) fs.writeFileSync(values['identity-out'], `${result.identity}\n`, { mode: 0o600 });
  console.log(JSON.stringify({ ...result, seconds: (Date.now() - t0) / 1000 }));
}
