import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateX25519Key, type X25519Key } from '../../node/age-files';
import { createAgeDecryptor } from '../sealing/age-native-decrypt';
import { AgeX25519Encryptor } from '../sealing/age-encrypt';
import { accessRecordLine } from '../sealing/sealer';
import { hourBucket, hourKey } from '../sealing/segment-names';
import { SegmentWriter } from '../sealing/segment-writer';
import { scanSegments, type ScanProgress } from './case-scan';
import { recordMatcher, type CaseScope } from './record-filter';
import { RecordStore } from './record-store';

let dir: string;
let mine: X25519Key;
let other: X25519Key;
const T0 = Date.parse('2025-04-01T00:00:00Z');
const HOUR = 3_600_000;
const PER_HOUR = 5000;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-scan-'));
  mine = (await generateX25519Key()).key;
  other = (await generateX25519Key()).key;
  const writer = new SegmentWriter({ sealedDir: dir, maxSegmentBytes: 256 * 1024 });
  const seal = (keyId: string, key: X25519Key, startMs: number, n: number) => {
    const enc = new AgeX25519Encryptor(key.recipient);
    for (let i = 0; i < n; i += 500) {
      let text = '';
      for (let j = i; j < Math.min(n, i + 500); j++) {
        const t = startMs + Math.floor((j / n) * HOUR);
        text += accessRecordLine({ t, ip: `10.0.${j % 256}.${(j >> 8) % 256}`, method: 'GET', url: j % 10 === 0 ? '/v1/click/x' : '/v1/zone/zon_a.js', status: 200, bytes: 1 });
      }
      writer.append(hourKey(hourBucket(startMs)), keyId, enc.encrypt(Buffer.from(text)));
    }
    writer.closeSegment();
  };
  for (let h = 0; h < 3; h++) seal('sk_mine', mine, T0 + h * HOUR, PER_HOUR);
  seal('sk_other', other, T0 + HOUR, 1000); // another key in the same hour: never read with sk_mine
  seal('sk_mine', mine, T0 + 5 * HOUR, PER_HOUR); // outside the window below
  // Damage one frame in the middle of the first segment (flip a payload byte).
  const first = fs.readdirSync(path.join(dir, '2025-04')).filter((f) => f.startsWith('20250401T00-sk_mine')).sort()[0]!;
  const file = path.join(dir, '2025-04', first);
  const bytes = fs.readFileSync(file);
  const secondFrame = 4 + bytes.readUInt32BE(0);
  bytes[secondFrame + 4 + 400]! ^= 0x55;
  fs.writeFileSync(file, bytes);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const scope = (over: Partial<CaseScope> = {}): CaseScope => ({
  from: new Date(T0).toISOString(),
  to: new Date(T0 + 3 * HOUR).toISOString(),
  placements: [],
  cidr: null,
  path: null,
  ...over,
});

describe('scanSegments', () => {
  it('reads only segments of the window and of the given keys, skipping a damaged frame', async () => {
    const progress: ScanProgress[] = [];
    const result = await scanSegments({
      sealedDir: dir,
      window: { from: new Date(T0), to: new Date(T0 + 3 * HOUR) },
      decryptors: new Map([['sk_mine', createAgeDecryptor(mine.keyObject)]]),
      match: recordMatcher(scope({ path: '/v1/click/' })),
      maxRecords: 100_000,
      onProgress: (p) => progress.push(p),
    });
    expect(result.framesUnreadable).toBe(1);
    expect(result.store.count).toBe((3 * PER_HOUR) / 10 - 50); // one damaged frame of 500 records held 50 clicks
    for (let i = 0; i < result.store.count; i++) expect(result.store.record(i).url).toBe('/v1/click/x');
    result.store.wipe();
    expect(result.store.count).toBe(0);
    expect(() => result.store.line(0)).toThrow(RangeError);
    expect(progress.at(-1)).toMatchObject({ segmentsDone: result.segments, segmentsTotal: result.segments });
    expect(progress.map((p) => p.segmentsDone)).toEqual([...progress.map((p) => p.segmentsDone)].sort((a, b) => a - b));
  });

  it('keeps the event loop free while it works and stops at maxRecords', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const result = await scanSegments({
      sealedDir: dir,
      window: { from: new Date(T0), to: new Date(T0 + 6 * HOUR) },
      decryptors: new Map([['sk_mine', createAgeDecryptor(mine.keyObject)]]),
      match: recordMatcher(scope({ to: new Date(T0 + 6 * HOUR).toISOString() })),
      maxRecords: 1000,
      sliceMs: 1,
    });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(2);
    expect(result).toMatchObject({ truncated: true });
    expect(result.store.count).toBe(1000);
  });

  it('opens nothing with the wrong key and stops when cancelled', async () => {
    const wrong = await scanSegments({
      sealedDir: dir,
      window: { from: new Date(T0), to: new Date(T0 + 3 * HOUR) },
      decryptors: new Map([['sk_mine', createAgeDecryptor(other.keyObject)]]),
      match: recordMatcher(scope()),
      maxRecords: 10,
    });
    expect(wrong.store.count).toBe(0);
    expect(wrong.framesUnreadable).toBe(wrong.frames);
    const cancelled = await scanSegments({
      sealedDir: dir,
      window: { from: new Date(T0), to: new Date(T0 + 3 * HOUR) },
      decryptors: new Map([['sk_mine', createAgeDecryptor(mine.keyObject)]]),
      match: recordMatcher(scope()),
      maxRecords: 100_000,
      cancelled: () => true,
    });
    expect(cancelled.store.count).toBe(0);
  });
  it('wipes the records it already unsealed when a later segment cannot be read', async () => {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-scan-fail-'));
    fs.cpSync(dir, copy, { recursive: true });
    const month = path.join(copy, '2025-04');
    const last = fs.readdirSync(month).filter((f) => f.startsWith('20250401T02-sk_mine')).sort().at(-1)!;
    fs.rmSync(path.join(month, last));
    fs.mkdirSync(path.join(month, last)); // a read error (EISDIR) after the first two hours were collected
    const wiped: number[] = [];
    const original = RecordStore.prototype.wipe;
    RecordStore.prototype.wipe = function (this: RecordStore) {
      wiped.push(this.count);
      original.call(this);
    };
    try {
      await expect(
        scanSegments({
          sealedDir: copy,
          window: { from: new Date(T0), to: new Date(T0 + 3 * HOUR) },
          decryptors: new Map([['sk_mine', createAgeDecryptor(mine.keyObject)]]),
          match: recordMatcher(scope()),
          maxRecords: 100_000,
        }),
      ).rejects.toThrow();
    } finally {
      RecordStore.prototype.wipe = original;
      fs.rmSync(copy, { recursive: true, force: true });
    }
    expect(wiped.length).toBe(1);
    expect(wiped[0]).toBeGreaterThan(0);
  });
});
