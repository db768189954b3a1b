import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameSink } from './frame-sink';
import { listSegments } from './segment-reader';
import { SyncFailedError } from './segment-writer';
import { createTestIdentity } from './test/test-identity';
import { unsealSegment } from './test/unseal-for-tests';

// What a failing disk leaves in the sealed directory, through the writer's fault seam (the real
// ENOSPC case runs on a tmpfs in full-disk.test.ts): no new files per attempt, and frames whose
// fdatasync failed are cut off, so writing them again never puts a record on disk twice.

const id = createTestIdentity();
const HOUR = '20250601T09';
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function sink(): { dir: string; sink: FrameSink } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-writer-'));
  dirs.push(dir);
  return { dir, sink: new FrameSink({ sealedDir: dir, maxSegmentBytes: 1 << 30 }) };
}

const job = (i: number) => ({ hour: HOUR, keyId: 'sk_w', recipient: id.recipient, ndjson: Buffer.from(`{"i":${i}}\n`) });
const files = (dir: string) =>
  fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();

describe('segment writer on a failing disk', () => {
  it('creates no file while opening a segment fails, however often it is retried', () => {
    const { dir, sink: s } = sink();
    s.injectFault('ENOSPC');
    for (let i = 0; i < 50; i++) expect(() => s.write(job(0))).toThrow(/ENOSPC/);
    expect(files(dir)).toEqual([]);
    s.injectFault(null);
    s.write(job(0));
    s.close();
    expect(listSegments(dir).map((g) => g.seq)).toEqual([0]);
  });

  it('cuts off frames whose fdatasync failed, so the retry writes each record once', async () => {
    const { dir, sink: s } = sink();
    s.write(job(0));
    s.write(job(1));
    s.sync();
    const synced = s.current()!.size;
    s.write(job(2));
    s.injectFault('EIO');
    expect(() => s.sync()).toThrow(SyncFailedError);
    // The cut itself failed too (still faulty): it happens before the next write instead.
    expect(s.current()!.size).toBe(synced);
    s.injectFault(null);
    s.write(job(2));
    s.write(job(3));
    s.sync();
    s.close();
    const [segment] = listSegments(dir);
    expect(listSegments(dir)).toHaveLength(1);
    expect(await unsealSegment(segment!.path, id.identity)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }, { i: 3 }]);
  });

  it('keeps appending to the same segment after failed writes, leaving no side or empty files', () => {
    const { dir, sink: s } = sink();
    s.write(job(0));
    s.sync();
    const segment = s.current()!.path;
    s.injectFault('ENOSPC');
    for (let i = 0; i < 20; i++) expect(() => s.write(job(1))).toThrow(/ENOSPC/);
    s.injectFault(null);
    s.write(job(1));
    expect(s.current()!.path).toBe(segment);
    s.close();
    expect(files(dir).filter((f) => f.endsWith('.seal') || f.endsWith('.torn'))).toEqual([path.relative(dir, segment)]);
  });
});
