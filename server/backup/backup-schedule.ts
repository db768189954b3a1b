import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../app-context';
import type { PrivacyServices } from '../privacy/privacy-services';
import { createBackup } from './create-backup';
import { readBackupHeader } from './restore-backup';

/** Scheduled backups are named by their creation time, so names sort by age. */
const NAME = /^creative-engine-(\d{8}T\d{6}Z)\.cebackup$/;
export const backupFileName = (at: Date) => `creative-engine-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}.cebackup`;

/**
 * Deletes scheduled backups beyond the newest `keep`, and any whose header says a sealed month in
 * it has reached its retention end: a backup must not keep access logs longer than the original.
 */
export async function pruneBackups(dir: string, keep: number, now: Date): Promise<{ deleted: string[] }> {
  const files = fs.readdirSync(dir).filter((f) => NAME.test(f)).sort().reverse();
  const deleted: string[] = [];
  for (const [i, f] of files.entries()) {
    const full = path.join(dir, f);
    // An unreadable header counts as not expired: only the kept count decides then.
    const expiresAt = await readBackupHeader(full).then((r) => r.header.expiresAt, () => null);
    const expired = expiresAt !== null && expiresAt <= now;
    if (i >= keep || expired) {
      fs.rmSync(full, { force: true });
      deleted.push(f);
    }
  }
  return { deleted };
}

/** Scheduled backups of a running server. */
export interface BackupSchedule {
  /** Writes one backup now and prunes old ones (after any run in progress; runs never overlap). */
  runNow(): Promise<void>;
}

type BackupSettings = NonNullable<AppContext['config']['backup']>;

async function backupOnce(ctx: AppContext, settings: BackupSettings, { backupKey, storeId }: PrivacyServices): Promise<void> {
  const now = ctx.now();
  fs.mkdirSync(settings.dir, { recursive: true, mode: 0o700 });
  const out = path.join(settings.dir, backupFileName(now));
  if (fs.existsSync(out)) return; // one per second at most: this second's backup is written
  const result = await createBackup({
    db: ctx.db,
    dataDir: ctx.config.dataDir,
    sealedDir: ctx.config.sealing.dir,
    out,
    backupKey,
    storeId,
    now,
    exclude: [settings.dir],
    sealedRetention: ctx.config.sealing.retention,
  });
  ctx.audit.append({
    actor: 'system',
    action: 'backup.create',
    target: path.basename(result.file),
    details: { scheduled: true, bytes: result.bytes, files: result.files, sealedMonths: result.sealedMonths, expiresAt: result.expiresAt?.toISOString() ?? null },
  });
  const { deleted } = await pruneBackups(settings.dir, settings.keep, now);
  if (deleted.length) ctx.audit.append({ actor: 'system', action: 'backup.prune', details: { deleted, keep: settings.keep } });
  ctx.log.info('backup written', { file: path.basename(result.file), bytes: result.bytes, pruned: deleted.length });
}

/**
 * Runs scheduled backups every `everyHours` while serving (`--backup-dir`, `--backup-every`,
 * `--backup-keep`), encrypted with the backup subkey of `privacy`; null when none are configured.
 */
export function startBackups(ctx: AppContext, privacy: PrivacyServices): BackupSchedule | null {
  const settings = ctx.config.backup;
  if (!settings) return null;
  const inside = path.relative(ctx.config.dataDir, path.resolve(settings.dir));
  if (!inside.startsWith('..') && !path.isAbsolute(inside)) {
    throw new Error('The backup directory must not be inside the data directory; choose another place (ideally another volume).');
  }
  let inFlight: Promise<void> = Promise.resolve();
  const runNow = (): Promise<void> => {
    const next = inFlight.then(() => backupOnce(ctx, settings, privacy));
    inFlight = next.catch(() => undefined);
    return next;
  };
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = runNow()
      .catch((err: unknown) => {
        ctx.log.error('scheduled backup failed', { error: err instanceof Error ? err.message : String(err) });
        ctx.audit.append({ actor: 'system', action: 'backup.failed', details: { error: err instanceof Error ? err.name : 'error' } });
      })
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, Math.max(1000, settings.everyHours * 3_600_000));
  timer.unref();
  ctx.onStop(async () => {
    clearInterval(timer);
    await running;
    await inFlight;
  });
  return { runNow };
}
