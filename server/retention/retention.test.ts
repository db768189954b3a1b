import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../audit/audit-log';
import { main } from '../cli/main';
import { resolveConfig } from '../config';
import { FrameSink } from '../sealing/frame-sink';
import { listMonths } from '../sealing/segment-reader';
import { createTestIdentity } from '../sealing/test/test-identity';
import { memoryLogger } from '../sealing/test/unseal-for-tests';
import { openDatabase } from '../store/database';
import { startTestApp } from '../test/test-app';
import { parseSealedRetentionFlags, sealedDeletionTime, validateSealedRetention } from './retention-period';
import { runRetention } from './retention-runner';
import { sealedLogRetention } from './sealed-log-retention';

// Unit runs use the sealed-log task alone; other tasks (privacy) have their own tests.
const SEALED_ONLY = [sealedLogRetention];

const id = createTestIdentity();
const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A data directory with a store and sealed segments for the given hours (YYYYMMDDTHH). */
function dataDirWith(hours: string[]): { dataDir: string; sealedDir: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-retention-'));
  dirs.push(dataDir);
  openDatabase(dataDir).close();
  const sealedDir = path.join(dataDir, 'sealed');
  const sink = new FrameSink({ sealedDir, maxSegmentBytes: 1 << 30 });
  for (const hour of hours) sink.write({ hour, keyId: 'sk_r', recipient: id.recipient, ndjson: Buffer.from('{"t":"x"}\n') });
  sink.close();
  return { dataDir, sealedDir };
}

const iso = (d: Date | null) => d?.toISOString();

describe('retention period', () => {
  it('deletes a month at the end of the month plus three months, in UTC', () => {
    expect(iso(sealedDeletionTime('2025-01', undefined))).toBe('2025-05-01T00:00:00.000Z');
    expect(iso(sealedDeletionTime('2024-12', undefined))).toBe('2025-04-01T00:00:00.000Z');
    expect(iso(sealedDeletionTime('2024-11', { months: 3 }))).toBe('2025-03-01T00:00:00.000Z');
    expect(iso(sealedDeletionTime('2025-01', { months: 1 }))).toBe('2025-03-01T00:00:00.000Z');
    expect(iso(sealedDeletionTime('2025-01', { days: 0 }))).toBe('2025-02-01T00:00:00.000Z');
    expect(iso(sealedDeletionTime('2025-01', { days: 10 }))).toBe('2025-02-11T00:00:00.000Z');
    expect(iso(sealedDeletionTime('2025-01', { days: 89 }))).toBe('2025-05-01T00:00:00.000Z');
    expect(iso(sealedDeletionTime('2024-01', { days: 89 }))).toBe('2024-04-30T00:00:00.000Z'); // leap year: shorter, never longer
    expect(sealedDeletionTime('2025-13', undefined)).toBeNull();
    expect(sealedDeletionTime('lost+found', undefined)).toBeNull();
  });

  it('refuses a longer period (or a malformed one) with a clear message', () => {
    expect(() => validateSealedRetention({ months: 4 })).toThrow(/at most 3 months .* 1 to 3 months, not 4/);
    expect(() => validateSealedRetention({ days: 90 })).toThrow(/0 to 89, not 90/);
    expect(() => validateSealedRetention({ months: 0 })).toThrow(/1 to 3 months/);
    expect(() => validateSealedRetention({ months: 1.5 })).toThrow(/1 to 3 months/);
    expect(() => validateSealedRetention({ months: 1, days: 3 })).toThrow(/not both/);
    expect(() => parseSealedRetentionFlags('abc', undefined)).toThrow(/--sealed-retention-months must be a whole number/);
    expect(parseSealedRetentionFlags('2', undefined)).toEqual({ months: 2 });
    expect(parseSealedRetentionFlags(undefined, '0')).toEqual({ days: 0 });
    expect(parseSealedRetentionFlags(undefined, undefined)).toBeUndefined();
  });
});

describe('sealed-log retention run', () => {
  it('deletes January on 1 May 00:00:00.000 UTC exactly, not a millisecond before, and audits each run', async () => {
    const { dataDir, sealedDir } = dataDirWith(['20250101T00', '20250131T23', '20250201T00']);
    fs.writeFileSync(path.join(sealedDir, '2025-01', '20250131T23-sk_r-0.seal.torn'), Buffer.alloc(7));
    const db = openDatabase(dataDir);
    const audit = new AuditLog(db);
    const env = { db, audit, config: resolveConfig({ dataDir }), log: memoryLogger(), actor: 'cli' as const };
    try {
      const before = await runRetention(env, new Date('2025-04-30T23:59:59.999Z'), SEALED_ONLY);
      expect(before.lines).toEqual([]);
      expect(listMonths(sealedDir)).toEqual(['2025-01', '2025-02']);

      const janBytes = fs.readdirSync(path.join(sealedDir, '2025-01')).reduce((n, f) => n + fs.statSync(path.join(sealedDir, '2025-01', f)).size, 0);
      const at = await runRetention(env, new Date('2025-05-01T00:00:00.000Z'), SEALED_ONLY);
      expect(listMonths(sealedDir)).toEqual(['2025-02']);
      expect(at.details).toEqual({ deletedMonths: ['2025-01'], files: 3, bytes: janBytes });
      expect(at.lines).toEqual([`deleted sealed access logs of 2025-01 (3 files, ${janBytes} bytes; due 2025-05-01T00:00:00.000Z)`]);

      const entries = audit.list({ limit: 10, actionPrefix: 'retention.' });
      expect(entries.map((e) => [e.actor, e.action, e.details])).toEqual([
        ['cli', 'retention.run', { deletedMonths: ['2025-01'], files: 3, bytes: janBytes, now: '2025-05-01T00:00:00.000Z' }],
        ['cli', 'retention.run', { deletedMonths: [], files: 0, bytes: 0, now: '2025-04-30T23:59:59.999Z' }],
      ]);
      expect(audit.verify().ok).toBe(true);
    } finally {
      db.close();
    }
  });

  it('honours a shorter period', async () => {
    const { dataDir, sealedDir } = dataDirWith(['20250115T10', '20250215T10']);
    const db = openDatabase(dataDir);
    const env = { db, audit: new AuditLog(db), config: resolveConfig({ dataDir, sealing: { retention: { days: 7 } } }), log: memoryLogger(), actor: 'cli' as const };
    try {
      await runRetention(env, new Date('2025-02-07T23:59:59.999Z'), SEALED_ONLY);
      expect(listMonths(sealedDir)).toEqual(['2025-01', '2025-02']);
      await runRetention(env, new Date('2025-02-08T00:00:00Z'), SEALED_ONLY);
      expect(listMonths(sealedDir)).toEqual(['2025-02']);
    } finally {
      db.close();
    }
  });
});

describe('retention run (CLI)', () => {
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((m: string) => void out.push(m));
    vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
    const code = await main(['retention', 'run', ...argv]);
    vi.restoreAllMocks();
    return { code, out, err };
  };

  it('prints what it deleted, honours --sealed-dir, and refuses bad flags', async () => {
    const { dataDir } = dataDirWith([]);
    const other = dataDirWith(['20250310T08']).sealedDir;
    expect(await run('--data', dataDir, '--sealed-dir', other, '--now', '2025-06-30T23:59:59Z')).toEqual({ code: 0, out: ['nothing to delete at 2025-06-30T23:59:59.000Z'], err: [] });
    const deleted = await run('--data', dataDir, '--sealed-dir', other, '--now', '2025-07-01T00:00:00Z');
    expect(deleted.code).toBe(0);
    expect(deleted.out[0]).toMatch(/^deleted sealed access logs of 2025-03 \(1 files, \d+ bytes; due 2025-07-01T00:00:00.000Z\)$/);
    expect(listMonths(other)).toEqual([]);

    const bad = async (args: string[], message: RegExp) => {
      const r = await run(...args);
      expect(r.code).toBe(2);
      expect(r.err.join('\n')).toMatch(message);
    };
    await bad(['--data', dataDir, '--now', 'yesterday'], /--now must be an ISO 8601 time/);
    await bad(['--data', dataDir, '--sealed-retention-months', '4'], /at most 3 months/);
    await bad(['--data', dataDir, '--sealed-retention-days', '120'], /0 to 89, not 120/);
    await bad(['--now', '2025-01-01T00:00:00Z'], /--data is required/);
    await bad(['--data', path.join(dataDir, 'nope')], /No store in/);
    await bad(['--data', dataDir, '--bogus'], /Unknown option/i);
  });
});

describe('retention in serve', () => {
  it('runs at start as system, and refuses a period longer than the policy', async () => {
    const { dataDir, sealedDir } = dataDirWith(['20250120T12', '20250420T12']);
    const app = await startTestApp({ dataDir }, { now: () => new Date('2025-05-01T00:00:00Z') });
    try {
      expect(listMonths(sealedDir)).toEqual(['2025-04']);
      const [entry] = app.ctx.audit.list({ limit: 1, actionPrefix: 'retention.' });
      expect(entry).toMatchObject({ actor: 'system', action: 'retention.run', details: { deletedMonths: ['2025-01'], files: 1 } });
    } finally {
      await app.stop();
    }
    await expect(startTestApp({ dataDir, sealing: { retention: { months: 4 } } })).rejects.toThrow(/at most 3 months/);
  });
});
