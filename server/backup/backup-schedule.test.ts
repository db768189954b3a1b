import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log/logger';
import { startTestApp, type TestApp } from '../test/test-app';
import { createBackup } from './create-backup';
import { pruneBackups } from './backup-schedule';
import { readBackupHeader, restoreBackup } from './restore-backup';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-backup-sched-'));
const backupDir = path.join(root, 'backups');
let clock = new Date('2026-11-26T10:00:00Z');
let app: TestApp;

beforeAll(async () => {
  // Every ~1.1 s (the shortest interval the scheduler allows is 1 s), keep 2.
  app = await startTestApp({ backup: { dir: backupDir, everyHours: 0.0003, keep: 2 } }, { now: () => clock });
});
afterAll(async () => {
  await app.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});
/** Finished backups (a `.partial` file is one still being written). */
const backups = () => (fs.existsSync(backupDir) ? fs.readdirSync(backupDir).filter((f) => f.endsWith('.cebackup')).sort() : []);

describe('scheduled backups', () => {
  it('writes backups on schedule, keeps the newest N, and audits both', async () => {
    const deadline = Date.now() + 10_000;
    while (backups().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(backups()).toEqual(['creative-engine-20261126T100000Z.cebackup']);
    clock = new Date('2026-11-26T11:00:00Z');
    await app.services.backups!.runNow();
    clock = new Date('2026-11-26T12:00:00Z');
    await app.services.backups!.runNow();
    expect(backups()).toEqual(['creative-engine-20261126T110000Z.cebackup', 'creative-engine-20261126T120000Z.cebackup']);
    expect(app.ctx.audit.list({ limit: 10, actionPrefix: 'backup.create' }).length).toBeGreaterThanOrEqual(3);
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'backup.prune' })[0]!.details).toEqual({ deleted: ['creative-engine-20261126T100000Z.cebackup'], keep: 2 });
  });

  it('refuses a backup directory inside the data directory', async () => {
    const dataDir = fs.mkdtempSync(path.join(root, 'd-'));
    await expect(startTestApp({ dataDir, backup: { dir: path.join(dataDir, 'b'), everyHours: 1, keep: 1 } })).rejects.toThrow(/must not be inside the data directory/);
  });
});

describe('sealed logs in backups expire with them', () => {
  it('leaves out expired months, records the earliest expiry, prunes and skips on restore once it passes', async () => {
    const sealed = app.ctx.config.sealing.dir;
    for (const month of ['2026-07', '2026-08']) {
      fs.mkdirSync(path.join(sealed, month), { recursive: true });
      fs.writeFileSync(path.join(sealed, month, `${month.replace('-', '')}01T00-test-0.seal`), Buffer.alloc(100, 7));
    }
    const { backupKey, storeId } = app.services.privacy;
    const out = path.join(root, 'manual', 'sealed.cebackup');
    const result = await createBackup({ db: app.ctx.db, dataDir: app.dataDir, sealedDir: sealed, out, backupKey, storeId, now: clock });
    // 2026-07 was due on 1 Nov 2026 (end of July + 3 months) and is left out; 2026-08 is due on 1 Dec 2026.
    expect(result.sealedMonths).toContain('2026-08');
    expect(result.sealedMonths).not.toContain('2026-07');
    expect(result.expiresAt?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect((await readBackupHeader(out)).header.expiresAt?.toISOString()).toBe('2026-12-01T00:00:00.000Z');

    fs.copyFileSync(out, path.join(backupDir, 'creative-engine-20261126T130000Z.cebackup'));
    expect((await pruneBackups(backupDir, 10, new Date('2026-11-30T23:59:59.999Z'))).deleted).toEqual([]);
    expect((await pruneBackups(backupDir, 10, new Date('2026-12-01T00:00:00Z'))).deleted).toEqual(['creative-engine-20261126T130000Z.cebackup']);

    const keyFile = app.ctx.config.privacy?.dataKeyFile;
    const log = createLogger({ silent: true });
    const early = await restoreBackup({ from: out, dataDir: path.join(root, 'r1'), force: false, keyFile, log, now: new Date('2026-11-30T00:00:00Z') });
    expect(early.expiredSealedMonths).toEqual([]);
    expect(fs.existsSync(path.join(root, 'r1', 'sealed', '2026-08'))).toBe(true);
    const late = await restoreBackup({ from: out, dataDir: path.join(root, 'r2'), force: false, keyFile, log, now: new Date('2026-12-01T00:00:00Z') });
    expect(late.expiredSealedMonths).toEqual(['2026-08']);
    expect(fs.existsSync(path.join(root, 'r2', 'sealed', '2026-08'))).toBe(false);
  });
});
