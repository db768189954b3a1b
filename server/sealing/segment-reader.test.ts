import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameSink } from './frame-sink';
import { Sealer } from './sealer';
import { checkSegment, listSegments, readSegment } from './segment-reader';
import { OPEN_SEGMENT_FILE } from './segment-writer';
import { createTestIdentity } from './test/test-identity';
import { memoryLogger, unsealSegment } from './test/unseal-for-tests';

const id = createTestIdentity();
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A segment with `frames` whole frames, each holding one NDJSON record. */
function writeSegment(frames: number, hour = '20250115T13'): { dir: string; file: string; size: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-reader-'));
  dirs.push(dir);
  const sink = new FrameSink({ sealedDir: dir, maxSegmentBytes: 1 << 30 });
  for (let i = 0; i < frames; i++) sink.write({ hour, keyId: 'sk_a', recipient: id.recipient, ndjson: Buffer.from(`{"i":${i}}\n`) });
  const file = sink.current()!.path;
  sink.close();
  return { dir, file, size: fs.statSync(file).size };
}

describe('segment reader', () => {
  it('lists segments by month and window, ignoring side files and strays', () => {
    const { dir } = writeSegment(1, '20250115T13');
    const sink = new FrameSink({ sealedDir: dir, maxSegmentBytes: 1 << 30 });
    sink.write({ hour: '20250201T00', keyId: 'sk_b', recipient: id.recipient, ndjson: Buffer.from('{}\n') });
    sink.close();
    fs.writeFileSync(path.join(dir, '2025-01', '20250115T13-sk_a-0.seal.torn'), 'x');
    fs.writeFileSync(path.join(dir, '2025-01', 'notes.txt'), 'x');
    fs.writeFileSync(path.join(dir, '2025-01', '20250231T00-sk_a-0.seal'), 'x'); // no such day
    fs.mkdirSync(path.join(dir, 'lost+found'));

    const all = listSegments(dir);
    expect(all.map((s) => [s.month, s.hour, s.keyId, s.seq])).toEqual([['2025-01', '20250115T13', 'sk_a', 0], ['2025-02', '20250201T00', 'sk_b', 0]]);
    expect(all[0]!.start.toISOString()).toBe('2025-01-15T13:00:00.000Z');
    expect(all[0]!.end.toISOString()).toBe('2025-01-15T14:00:00.000Z');
    const window = (from: string, to: string) => listSegments(dir, { from: new Date(from), to: new Date(to) }).map((s) => s.hour);
    expect(window('2025-01-15T13:59:59Z', '2025-01-15T14:00:00Z')).toEqual(['20250115T13']);
    expect(window('2025-01-15T14:00:00Z', '2025-02-01T00:00:00Z')).toEqual([]);
    expect(window('2025-01-01T00:00:00Z', '2025-03-01T00:00:00Z')).toEqual(['20250115T13', '20250201T00']);
    expect(listSegments(path.join(dir, 'missing'))).toEqual([]);
  });

  it('reads whole frames and reports a clean end', async () => {
    const { file, size } = writeSegment(3);
    const frames = readSegment(file);
    const data = [...frames].map((f) => f.data.subarray(0, 22).toString());
    expect(data).toEqual(Array(3).fill('age-encryption.org/v1\n'));
    expect(frames.check).toEqual({ size, frames: 3, validBytes: size, tornTail: null });
    expect(await unsealSegment(file, id.identity)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
  });

  const tails: Array<[string, (size: number) => Buffer, string]> = [
    ['partial length', () => Buffer.from([0, 0]), 'partial-length'],
    ['partial frame', () => Buffer.concat([Buffer.from([0, 0, 1, 0]), Buffer.from('age-encryption.org/v1\n-> X25519')]), 'partial-frame'],
    ['header cut short', () => Buffer.concat([Buffer.from([0, 0, 1, 0]), Buffer.from('age-enc')]), 'partial-frame'],
    ['zero-filled blocks', () => Buffer.alloc(4096), 'bad-length'],
    ['garbage with a plausible length', () => Buffer.concat([Buffer.from([0, 0, 0, 40]), Buffer.alloc(40, 7)]), 'not-age'],
  ];

  it.each(tails)('detects a torn tail (%s) and never yields it as a frame', async (_name, tail, reason) => {
    const { file, size } = writeSegment(4);
    const torn = tail(size);
    fs.appendFileSync(file, torn);
    const frames = readSegment(file);
    expect([...frames]).toHaveLength(4);
    expect(frames.check).toEqual({ size: size + torn.length, frames: 4, validBytes: size, tornTail: { offset: size, bytes: torn.length, reason } });
    expect(checkSegment(file).tornTail).toEqual({ offset: size, bytes: torn.length, reason });
  });

  it('sets a torn tail aside at start-up, keeps every whole frame and starts a new segment', async () => {
    const { dir, file, size } = writeSegment(5);
    const torn = Buffer.concat([Buffer.from([0, 0, 2, 0]), Buffer.from('age-encryption.org/v1\n-> X25519 partial')]);
    fs.appendFileSync(file, torn);
    fs.writeFileSync(path.join(dir, OPEN_SEGMENT_FILE), `${path.relative(dir, file)}\n`);

    const log = memoryLogger();
    const sealer = await Sealer.start({ sealedDir: dir, key: { id: 'sk_a', recipient: id.recipient }, log });
    expect(sealer.stats().recovered).toEqual([{ segment: file, tornFile: `${file}.torn`, tail: { offset: size, bytes: torn.length, reason: 'partial-frame' } }]);
    expect(log.lines.some((l) => l.level === 'warn' && /torn frame/.test(l.message))).toBe(true);
    expect(fs.statSync(file).size).toBe(size);
    expect(fs.readFileSync(`${file}.torn`).equals(torn)).toBe(true);
    expect(await unsealSegment(file, id.identity)).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })));

    sealer.push({ t: Date.parse('2025-01-15T13:30:00Z'), ip: '192.0.2.1', method: 'GET', url: '/x', status: 200, bytes: 0 });
    await sealer.close();
    const segments = listSegments(dir);
    expect(segments.map((s) => s.seq)).toEqual([0, 1]);
    expect(fs.statSync(file).size).toBe(size); // nothing appended after the cut
    expect((await unsealSegment(segments[1]!.path, id.identity)).map((r) => r.url)).toEqual(['/x']);
  });

  it('recovers the newest segment even without the open-segment marker', async () => {
    const { dir, file, size } = writeSegment(2);
    fs.appendFileSync(file, Buffer.from([0, 0, 9]));
    const sealer = await Sealer.start({ sealedDir: dir, key: { id: 'sk_a', recipient: id.recipient }, log: memoryLogger() });
    await sealer.close();
    expect(fs.statSync(file).size).toBe(size);
    expect(fs.readFileSync(`${file}.torn`)).toEqual(Buffer.from([0, 0, 9]));
  });
});
