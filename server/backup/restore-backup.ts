import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { AuditLog } from '../audit/audit-log';
import type { Logger } from '../log/logger';
import { findDataKey } from '../privacy/data-key';
import { deriveSubkey } from '../privacy/field-cipher';
import type { SealedRetention } from '../retention/retention-period';
import { STORE_FILE, openDatabase } from '../store/database';
import { extractEntries } from './backup-archive';
import { BackupError, HEADER_BYTES, decodeHeader, readChunks, type BackupHeader } from './backup-format';
import { sealedMonthExpiry } from './create-backup';

/** Reads the plain header of a backup file (creation and expiry time, store id); throws BackupError. */
export async function readBackupHeader(file: string): Promise<{ header: BackupHeader; bytes: Buffer }> {
  const fh = await fsp.open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new BackupError(`${file} cannot be opened (${err.code ?? 'error'}).`);
  });
  try {
    const bytes = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await fh.read(bytes, 0, HEADER_BYTES, 0);
    return { header: decodeHeader(bytes.subarray(0, bytesRead), path.basename(file)), bytes };
  } finally {
    await fh.close();
  }
}

export interface RestoreResult {
  dataDir: string;
  createdAt: Date;
  files: number;
  /** Sealed months left out because their retention ended since the backup was made. */
  expiredSealedMonths: string[];
}

/**
 * Rebuilds a data directory from a backup. Needs the same data key (keychain entry of the backup's
 * store id, or the key file). Everything is written to a sibling temporary directory, checked
 * (authenticated chunks, SQLite quick_check), and only then renamed into place; on any failure
 * the target is left as it was. Refuses a non-empty target unless `force`.
 */
export async function restoreBackup(options: { from: string; dataDir: string; force: boolean; keyFile?: string; log: Logger; now: Date; sealedRetention?: SealedRetention }): Promise<RestoreResult> {
  const target = path.resolve(options.dataDir);
  const name = path.basename(options.from);
  const { header, bytes: headerBytes } = await readBackupHeader(options.from);
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0 && !options.force) {
    throw new BackupError(`${target} is not empty; restore into a new directory, or add --force to replace its contents.`);
  }
  const { key } = await findDataKey({ storeId: header.storeId, keyFile: options.keyFile, dataDir: target, log: options.log, create: false });
  const backupKey = deriveSubkey(key, 'backup v1');
  key.fill(0);

  const temp = `${target}.restore-${randomBytes(6).toString('hex')}`;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.mkdirSync(temp, { mode: 0o700 });
  const input = await fsp.open(options.from, 'r');
  const expired = new Set<string>();
  try {
    const chunks = readChunks(input, headerBytes, header, backupKey, name)[Symbol.asyncIterator]();
    const { written } = await extractEntries(chunks, name, (p) => {
      if (p === 'manifest.json') return null;
      if (p === STORE_FILE) return path.join(temp, STORE_FILE);
      if (p.startsWith('files/')) return path.join(temp, ...p.slice(6).split('/'));
      const month = /^sealed\/([^/]+)\/./.exec(p)?.[1];
      if (month) {
        const expiry = sealedMonthExpiry(month, options.sealedRetention);
        if (expiry && expiry > options.now) return path.join(temp, 'sealed', ...p.slice(7).split('/'));
        expired.add(month);
        return null;
      }
      throw new BackupError(`${name} is damaged (unexpected entry).`);
    });
    if (!written.includes(STORE_FILE)) throw new BackupError(`${name} is damaged (it holds no store).`);
    checkStore(path.join(temp, STORE_FILE), name);

    // The restore itself is a lifecycle step: recorded in the restored store's audit chain.
    const db = openDatabase(temp);
    try {
      new AuditLog(db, () => options.now).append({
        actor: 'cli',
        action: 'backup.restore',
        details: { backupCreatedAt: header.createdAt.toISOString(), files: written.length, expiredSealedMonths: [...expired] },
      });
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    swapInto(temp, target);
    return { dataDir: target, createdAt: header.createdAt, files: written.length, expiredSealedMonths: [...expired].sort() };
  } catch (err) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw err;
  } finally {
    backupKey.fill(0);
    await input.close();
  }
}

function checkStore(file: string, name: string): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const result = db.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new Error(String(result));
  } catch {
    throw new BackupError(`${name} is damaged (the store in it does not pass SQLite's check).`);
  } finally {
    db?.close();
  }
}

/** Puts `temp` where `target` is: the old contents move aside first and are removed once the new ones are in place. */
function swapInto(temp: string, target: string): void {
  if (!fs.existsSync(target)) {
    fs.renameSync(temp, target);
    return;
  }
  const old = `${target}.replaced-${randomBytes(6).toString('hex')}`;
  fs.renameSync(target, old);
  try {
    fs.renameSync(temp, target);
  } catch (err) {
    fs.renameSync(old, target);
    throw err;
  }
  fs.rmSync(old, { recursive: true, force: true });
}
