import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp } from '../test/test-app';
import { AgeX25519Encryptor } from './age-encrypt';
import { FrameSink } from './frame-sink';
import { hourBucket, hourKey, monthOfHour } from './segment-names';
import { OPEN_SEGMENT_FILE } from './segment-writer';
import { createTestIdentity } from './test/test-identity';
import { unsealSegment } from './test/unseal-for-tests';

// Start-up recovery, deterministically (crash.test.ts kills at random and may never tear a frame):
// a segment whose last frame was cut off by hand, as a crash mid-write leaves it, is started on by
// the real server, which must set exactly the torn bytes aside and keep every whole frame.

const id = createTestIdentity();
// The current hour: retention (which runs at start-up) would delete an older month.
const HOUR = hourKey(hourBucket(Date.now()));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) {
    fs.rmSync(d, { recursive: true, force: true });
    fs.rmSync(`${d}.data-key`, { force: true });
  }
});

/** A data directory whose sealed segment holds `frames` whole frames (one record each), as a crashed server left it. */
function crashedDataDir(frames: number): { dataDir: string; segment: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-torn-'));
  dirs.push(dataDir);
  const sealedDir = path.join(dataDir, 'sealed');
  const sink = new FrameSink({ sealedDir, maxSegmentBytes: 1 << 30 });
  for (let i = 0; i < frames; i++) sink.write({ hour: HOUR, keyId: 'sk_torn', recipient: id.recipient, ndjson: Buffer.from(`{"url":"/r${i}"}\n`) });
  sink.sync();
  const segment = sink.current()!.path;
  // No clean close: the open-segment marker still names the segment, as after kill -9.
  expect(fs.readFileSync(path.join(sealedDir, OPEN_SEGMENT_FILE), 'utf8').trim()).toBe(path.relative(sealedDir, segment));
  return { dataDir, segment };
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('setting a torn tail aside at start-up', () => {
  it('moves exactly the torn bytes of a half-written frame into .torn and keeps every whole frame', async () => {
    const { dataDir, segment } = crashedDataDir(3);
    const whole = fs.statSync(segment).size;
    // Tear a real frame: its length prefix and the first half of its age file reach the disk, the rest does not.
    const frame = new AgeX25519Encryptor(id.recipient).encrypt(Buffer.from('{"url":"/lost"}\n'));
    const length = Buffer.alloc(4);
    length.writeUInt32BE(frame.length);
    const torn = Buffer.concat([length, frame.subarray(0, frame.length >> 1)]);
    fs.appendFileSync(segment, torn);

    const app = await startTestApp({ dataDir });
    try {
      expect(app.services.sealing.sealer.stats().recovered).toEqual([
        { segment, tornFile: `${segment}.torn`, tail: { offset: whole, bytes: torn.length, reason: 'partial-frame' } },
      ]);
      expect((await fetch(`${app.deliveryUrl}/healthz`)).status).toBe(200);
    } finally {
      await app.stop();
    }
    expect(fs.statSync(segment).size).toBe(whole);
    expect(fs.readFileSync(`${segment}.torn`).equals(torn)).toBe(true);
    expect(await unsealSegment(segment, id.identity)).toEqual([{ url: '/r0' }, { url: '/r1' }, { url: '/r2' }]);
  });

  it('sets nothing aside when the segment is whole', async () => {
    const { dataDir, segment } = crashedDataDir(3);
    const before = sha256(segment);
    const app = await startTestApp({ dataDir });
    try {
      expect(app.services.sealing.sealer.stats().recovered).toEqual([]);
    } finally {
      await app.stop();
    }
    expect(sha256(segment)).toBe(before);
    expect(fs.readdirSync(path.dirname(segment)).filter((f) => f.endsWith('.torn'))).toEqual([]);
    expect(await unsealSegment(segment, id.identity)).toEqual([{ url: '/r0' }, { url: '/r1' }, { url: '/r2' }]);
  });

  it('removes a segment that was created but never written, leaving no empty files', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-torn-'));
    dirs.push(dataDir);
    // Created (its name in the marker first), then kill -9 before the first frame.
    const segment = path.join(dataDir, 'sealed', monthOfHour(HOUR), `${HOUR}-sk_torn-0.seal`);
    fs.mkdirSync(path.dirname(segment), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'sealed', OPEN_SEGMENT_FILE), `${monthOfHour(HOUR)}/${path.basename(segment)}\n`);
    fs.writeFileSync(segment, '');
    const app = await startTestApp({ dataDir });
    try {
      expect(app.services.sealing.sealer.stats().recovered).toEqual([]);
    } finally {
      await app.stop();
    }
    expect(fs.readdirSync(path.dirname(segment))).toEqual([]);
  });
});
