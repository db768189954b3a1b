import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { Sealer } from './sealer';
import { checkSegment, listSegments, readSegment } from './segment-reader';
import { bundleScript } from './test/bundle-script';
import { createTestIdentity } from './test/test-identity';
import { memoryLogger, unsealSegment } from './test/unseal-for-tests';
import { sealWorkerScript } from './worker-script';

// A child process seals big batches (≈8 MiB frames, so a kill often lands mid-write) as fast as it
// can and prints how many records the worker has confirmed as written and synced; it is killed
// with SIGKILL at a random moment, at least three times over the same directory (more, up to
// eight, until one kill has torn a frame). Every confirmed record
// must still be readable, a torn tail must never be read as a frame, and the next start sets it aside.
const CHILD = `
import { Sealer } from './sealer';
const [dir, recipient, workerScript, round] = process.argv.slice(2);
const quiet = { info() {}, warn() {}, error() {} };
const sealer = await Sealer.start({ sealedDir: dir, key: { id: 'sk_crash', recipient }, log: quiet, workerScript,
  maxBatchBytes: 8 << 20, maxBatchRecords: 1e9, maxPendingBytes: 64 << 20 });
console.log(JSON.stringify({ recovered: sealer.stats().recovered.length }));
const pad = 'x'.repeat(2000);
let i = 0, reported = 0;
function tick() {
  for (let k = 0; k < 200; k++, i++) {
    sealer.push({ t: Date.parse('2025-06-10T08:00:00Z'), ip: '203.0.113.9', method: 'GET', url: '/v1/imp/' + round + '-' + i + '?p=' + pad, status: 200, bytes: 43 });
  }
  const sealed = sealer.stats().recordsSealed;
  if (sealed !== reported) console.log(JSON.stringify({ sealed: (reported = sealed) }));
  setImmediate(tick);
}
tick();
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-crash-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the child until it has confirmed some frames, kills it with SIGKILL after a random extra delay; returns what it confirmed last. */
async function runAndKill(script: string, args: string[]): Promise<{ confirmed: number; recovered: number }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let confirmed = 0;
  let recovered = -1;
  let killTimer: NodeJS.Timeout | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for await (const line of createInterface({ input: child.stdout })) {
    const msg = JSON.parse(line) as { sealed?: number; recovered?: number };
    if (msg.recovered !== undefined) recovered = msg.recovered;
    if (msg.sealed !== undefined) confirmed = msg.sealed;
    if (confirmed > 0 && !killTimer) killTimer = setTimeout(() => child.kill('SIGKILL'), 100 + Math.random() * 400);
  }
  await exited;
  return { confirmed, recovered };
}

describe('crash safety (kill -9 while writing)', () => {
  it('keeps every confirmed frame readable and sets the torn tail aside on the next start', async () => {
    const id = createTestIdentity();
    const script = await bundleScript(CHILD);
    const worker = await sealWorkerScript();
    const confirmed: number[] = [];
    let tornByKill = 0;
    let recoveredByChild = 0;
    for (let round = 0; round < 8 && (round < 3 || tornByKill === 0); round++) {
      const result = await runAndKill(script, [dir, id.recipient, worker, String(round)]);
      expect(result.recovered).toBeGreaterThanOrEqual(0); // it started (and recovered) before being killed
      recoveredByChild += result.recovered;
      confirmed.push(result.confirmed);
      if (listSegments(dir).some((s) => checkSegment(s.path).tornTail)) tornByKill++;
    }
    // Each torn tail but the last was set aside by the next child's start.
    expect(recoveredByChild).toBeGreaterThanOrEqual(tornByKill - 1);

    // Before any recovery: complete frames are all readable, a torn tail is reported, never yielded.
    const perRound = new Map<string, Set<number>>();
    for (const segment of listSegments(dir)) {
      const check = checkSegment(segment.path);
      // (A segment may hold no whole frame yet: a kill right after it was started.)
      const records = await unsealSegment(segment.path, id.identity);
      for (const r of records) {
        const [round, i] = String(r.url).slice('/v1/imp/'.length).split('?')[0]!.split('-');
        const seen = perRound.get(round!) ?? new Set<number>();
        expect(seen.has(Number(i))).toBe(false); // no frame read twice or misread
        seen.add(Number(i));
        perRound.set(round!, seen);
      }
      if (check.tornTail) expect(check.validBytes + check.tornTail.bytes).toBe(check.size);
    }
    for (let round = 0; round < confirmed.length; round++) expect(perRound.get(String(round))?.size ?? 0).toBeGreaterThanOrEqual(confirmed[round]!);

    // The next start sets any torn tail aside; afterwards every segment is whole frames only.
    const sealer = await Sealer.start({ sealedDir: dir, key: { id: 'sk_crash', recipient: id.recipient }, log: memoryLogger() });
    await sealer.close();
    for (const segment of listSegments(dir)) {
      expect(checkSegment(segment.path).tornTail).toBeNull();
      const frames = readSegment(segment.path);
      for (const frame of frames) expect(frame.data.length).toBeGreaterThan(0);
      expect(frames.check?.tornTail).toBeNull();
    }
    const tornFiles = fs.readdirSync(path.join(dir, '2025-06')).filter((f) => f.endsWith('.torn'));
    for (const f of tornFiles) expect(fs.statSync(path.join(dir, '2025-06', f)).size).toBeGreaterThan(0);
    console.log(`crash test: ${confirmed.length} kills, confirmed ${confirmed.join('/')} records; ${tornByKill} kill(s) tore a frame; ${tornFiles.length} torn tail(s) set aside`);
    expect(tornFiles.length).toBeGreaterThanOrEqual(tornByKill > 0 ? 1 : 0);
  }, 60_000);
});
