import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { sealedDeletionTime, type SealedRetention } from '../retention/retention-period';
import { STORE_FILE, type Db } from '../store/database';
import { isSafeArchivePath, writeEnd, writeEntry } from './backup-archive';
import { ChunkWriter, newHeader } from './backup-format';

/** The first instant at which a sealed month `YYYY-MM` must be gone (the sealed-log retention of DESIGN rule 5). */
export function sealedMonthExpiry(month: string, retention?: SealedRetention): Date | null {
  return sealedDeletionTime(month, retention);
}

/** Files of the data directory that are not taken as they are: the live store (snapshotted instead) and scratch files. */
const SKIP_FILE = /^store\.sqlite(-wal|-shm|-journal)?$|\.tmp$|\.partial$/;

export interface BackupResult {
  file: string;
  bytes: number;
  files: number;
  sealedMonths: string[];
  expiresAt: Date | null;
}

/**
 * Writes a consistent, encrypted snapshot of a data directory to `out` (via `out.partial`, renamed
 * when complete): the store through SQLite's online backup, the sealed segments (as far as they
 * are written), and every other file of the data directory (configuration, token keys, the store
 * id). The data key is never in the data directory, so never in a backup. Sealed months already
 * past their retention are left out; the header records when the oldest included month expires.
 */
export async function createBackup(options: {
  db: Db;
  dataDir: string;
  sealedDir: string;
  out: string;
  backupKey: Buffer;
  storeId: string;
  now: Date;
  sealedRetention?: SealedRetention;
  /** Directories not to include (e.g. the scheduled backup directory when it lies inside the data directory). */
  exclude?: string[];
}): Promise<BackupResult> {
  const { dataDir, sealedDir, now } = options;
  const scratch = path.join(dataDir, `.backup-${randomBytes(6).toString('hex')}.tmp`);
  const partial = `${options.out}.partial`;
  fs.mkdirSync(scratch, { mode: 0o700 });
  let out: fsp.FileHandle | undefined;
  try {
    // Plaintext pages of the snapshot stay inside the data directory until they are encrypted.
    const snapshot = path.join(scratch, STORE_FILE);
    await options.db.backup(snapshot, { progress: () => 1 << 30 });

    const excluded = [scratch, path.resolve(sealedDir), ...(options.exclude ?? []).map((d) => path.resolve(d))];
    const dataFiles = listFiles(dataDir, excluded).filter((rel) => !SKIP_FILE.test(path.basename(rel)));
    const sealed: Array<{ rel: string; month: string }> = [];
    const months: string[] = [];
    let expiresAt: Date | null = null;
    for (const month of safeReaddir(sealedDir).sort()) {
      const expiry = sealedMonthExpiry(month, options.sealedRetention);
      if (!expiry || expiry <= now) continue;
      months.push(month);
      if (!expiresAt || expiry < expiresAt) expiresAt = expiry;
      for (const rel of listFiles(path.join(sealedDir, month), [])) sealed.push({ rel, month });
    }

    fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
    out = await fsp.open(partial, 'wx', 0o600);
    const writer = new ChunkWriter(out, newHeader(options.storeId, now, expiresAt), options.backupKey);
    await writer.start();
    const manifest = { format: 'creative-engine backup', version: 1, createdAt: now.toISOString(), storeId: options.storeId, sealedMonths: months, expiresAt: expiresAt?.toISOString() ?? null };
    await writeEntry(writer, 'manifest.json', { data: Buffer.from(JSON.stringify(manifest)) });
    await writeEntry(writer, STORE_FILE, { file: snapshot, size: fs.statSync(snapshot).size });
    let files = 2;
    for (const rel of dataFiles) files += (await addIfPresent(writer, `files/${rel}`, path.join(dataDir, rel))) ? 1 : 0;
    for (const s of sealed) files += (await addIfPresent(writer, `sealed/${s.month}/${s.rel}`, path.join(sealedDir, s.month, s.rel))) ? 1 : 0;
    await writeEnd(writer);
    await writer.finish();
    await out.sync();
    await out.close();
    out = undefined;
    fs.renameSync(partial, options.out);
    return { file: options.out, bytes: writer.written, files, sealedMonths: months, expiresAt };
  } catch (err) {
    await out?.close().catch(() => undefined);
    fs.rmSync(partial, { force: true });
    throw err;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Adds a file that may vanish meanwhile (retention, rotation); false when it did. */
async function addIfPresent(writer: ChunkWriter, archivePath: string, file: string): Promise<boolean> {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return false;
  }
  await writeEntry(writer, archivePath, { file, size });
  return true;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Regular files below `dir`, as '/'-separated relative paths, skipping excluded directories and unsafe names. */
function listFiles(dir: string, excluded: string[]): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const entry of safeReaddirents(abs)) {
      const a = path.join(abs, entry.name);
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!excluded.includes(path.resolve(a))) walk(a, r);
      } else if (entry.isFile() && isSafeArchivePath(`files/${r}`)) {
        out.push(r);
      }
    }
  };
  walk(dir, '');
  return out.sort();
}

function safeReaddirents(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
