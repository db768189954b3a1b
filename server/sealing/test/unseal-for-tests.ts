import { Decrypter } from 'age-encryption';
import { until } from '../../../node/test/until';
import type { Sealer } from '../sealer';
import { listSegments, readSegment, type SegmentInfo } from '../segment-reader';

/** Test-only: decrypts every frame of every segment with the independent age-encryption package. */
export async function unsealAll(sealedDir: string, identity: string): Promise<Array<{ segment: SegmentInfo; records: Array<Record<string, unknown>> }>> {
  const d = new Decrypter();
  d.addIdentity(identity);
  const out = [];
  for (const segment of listSegments(sealedDir)) {
    const records: Array<Record<string, unknown>> = [];
    for (const frame of readSegment(segment.path)) {
      const text = await d.decrypt(frame.data, 'text');
      for (const line of text.split('\n')) if (line) records.push(JSON.parse(line) as Record<string, unknown>);
    }
    out.push({ segment, records });
  }
  return out;
}

/** Test-only: the records of one segment, decrypted with `identity` (rejects when it is sealed to another key). */
export async function unsealSegment(segmentPath: string, identity: string): Promise<Array<Record<string, unknown>>> {
  const d = new Decrypter();
  d.addIdentity(identity);
  const records: Array<Record<string, unknown>> = [];
  for (const frame of readSegment(segmentPath)) {
    for (const line of (await d.decrypt(frame.data, 'text')).split('\n')) if (line) records.push(JSON.parse(line) as Record<string, unknown>);
  }
  return records;
}

/** A logger that keeps what it was told, for asserting on warnings. */
export function memoryLogger() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** Every record the sealer has been handed so far (sealed, waiting, dropped or failed). */
export function recordsHandedTo(sealer: Sealer): number {
  const s = sealer.stats();
  return s.recordsSealed + s.pendingRecords + s.droppedRecords + s.failedRecords;
}

/**
 * Waits until `count` more records than `before` reached the sealer (access records are handed over
 * on each response's close event, just after the client has its answer), then until they are on disk.
 */
export async function accessRecordsSealed(sealer: Sealer, before: number, count: number): Promise<void> {
  await until(() => recordsHandedTo(sealer) >= before + count, `${count} access records`);
  await sealer.drain();
}
