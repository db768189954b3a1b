import fs from 'node:fs';
import path from 'node:path';
import { AuditLog } from '../audit/audit-log';
import { createBackup } from './create-backup';
import { restoreBackup } from './restore-backup';
import { createLogger } from '../log/logger';
import { dataKeyFileFrom } from '../privacy/data-key';
import { loadPrivacy } from '../privacy/privacy-services';
import { parseSealedRetentionFlags, RetentionConfigError, type SealedRetention } from '../retention/retention-period';
import { STORE_FILE, openDatabase } from '../store/database';
import { parseFlags, required, UsageError, type Command } from '../command/args';

const KEY_HELP = 'The data key comes from the OS keychain, or from --data-key-file PATH (or CREATIVE_ENGINE_DATA_KEY_FILE) as serve uses it.';

function sealedRetention(months: string | undefined, days: string | undefined): SealedRetention | undefined {
  try {
    return parseSealedRetentionFlags(months, days);
  } catch (err) {
    throw err instanceof RetentionConfigError ? new UsageError(err.message) : err;
  }
}

const inside = (file: string, dir: string) => {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** `backup`: one encrypted file with a consistent snapshot of the data directory (works while serve runs). */
export const backupCommand: Command = {
  name: 'backup',
  summary: 'write an encrypted, consistent backup of the data directory to one file',
  usage: `backup --data DIR --out FILE [--sealed-dir DIR] [--data-key-file PATH] [--sealed-retention-months N | --sealed-retention-days N]\n\n${KEY_HELP}`,
  async run(argv) {
    const f = parseFlags(argv, {
      data: { type: 'string' },
      out: { type: 'string' },
      'sealed-dir': { type: 'string' },
      'data-key-file': { type: 'string' },
      'sealed-retention-months': { type: 'string' },
      'sealed-retention-days': { type: 'string' },
    });
    const dataDir = path.resolve(required(f.data, '--data'));
    const out = path.resolve(required(f.out, '--out'));
    const retention = sealedRetention(f['sealed-retention-months'], f['sealed-retention-days']);
    if (!fs.existsSync(path.join(dataDir, STORE_FILE))) throw new UsageError(`No store in ${dataDir}; give the data directory serve uses.`);
    if (inside(out, dataDir)) throw new UsageError('--out must be outside the data directory (ideally on another volume).');
    if (fs.existsSync(out)) throw new UsageError(`${out} already exists; choose a new file name.`);
    const log = createLogger();
    const db = openDatabase(dataDir);
    try {
      const { backupKey, storeId } = await loadPrivacy({ dataDir, keyFile: dataKeyFileFrom(f['data-key-file'], process.env), log });
      const now = new Date();
      const result = await createBackup({ db, dataDir, sealedDir: path.resolve(f['sealed-dir'] ?? path.join(dataDir, 'sealed')), out, backupKey, storeId, now, sealedRetention: retention });
      new AuditLog(db).append({
        actor: 'cli',
        action: 'backup.create',
        target: path.basename(out),
        details: { scheduled: false, bytes: result.bytes, files: result.files, sealedMonths: result.sealedMonths, expiresAt: result.expiresAt?.toISOString() ?? null },
      });
      const until = result.expiresAt ? `; it holds sealed access logs: delete it by ${result.expiresAt.toISOString()}` : '';
      console.log(`backup written to ${out} (${result.bytes} bytes, ${result.files} files${until})`);
      return 0;
    } finally {
      db.close();
    }
  },
};

/** `restore`: rebuilds a data directory from a backup, all or nothing. */
export const restoreCommand: Command = {
  name: 'restore',
  summary: 'rebuild a data directory from a backup file (refuses damaged or foreign files)',
  usage: `restore --data DIR --from FILE [--force] [--data-key-file PATH] [--sealed-retention-months N | --sealed-retention-days N]\n\nStop the server first. --force replaces a non-empty DIR. ${KEY_HELP}`,
  async run(argv) {
    const f = parseFlags(argv, {
      data: { type: 'string' },
      from: { type: 'string' },
      force: { type: 'boolean' },
      'data-key-file': { type: 'string' },
      'sealed-retention-months': { type: 'string' },
      'sealed-retention-days': { type: 'string' },
    });
    const dataDir = path.resolve(required(f.data, '--data'));
    const from = path.resolve(required(f.from, '--from'));
    const retention = sealedRetention(f['sealed-retention-months'], f['sealed-retention-days']);
    if (!fs.existsSync(from)) throw new UsageError(`${from} does not exist.`);
    if (inside(from, dataDir)) throw new UsageError('--from must be outside the data directory being restored.');
    const result = await restoreBackup({ from, dataDir, force: f.force ?? false, keyFile: dataKeyFileFrom(f['data-key-file'], process.env), log: createLogger(), now: new Date(), sealedRetention: retention });
    const skipped = result.expiredSealedMonths.length ? `; left out sealed logs past their retention: ${result.expiredSealedMonths.join(', ')}` : '';
    console.log(`restored ${result.dataDir} from the backup of ${result.createdAt.toISOString()} (${result.files} files${skipped})`);
    return 0;
  },
};
