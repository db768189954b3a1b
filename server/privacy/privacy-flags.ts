import path from 'node:path';
import { UsageError } from '../cli/args';
import { checkSmtpSettings } from '../mail/mailer';
import { DATA_KEY_FILE_ENV } from './data-key';
import { parseRetentionFlag, type PrivacyOptions } from './privacy-options';

/** The serve flags of the privacy lifecycle (spread into serve's parseFlags options). */
export const PRIVACY_FLAGS = {
  'data-key-file': { type: 'string' },
  'personal-data-retention': { type: 'string' },
  'smtp-url': { type: 'string' },
  'mail-from': { type: 'string' },
  'backup-dir': { type: 'string' },
  'backup-every': { type: 'string' },
  'backup-keep': { type: 'string' },
} as const;

export const PRIVACY_USAGE =
  '[--data-key-file PATH] [--personal-data-retention contracts=6y,invoices=10y,contact=0d,requests=0d] [--smtp-url smtp://HOST:PORT --mail-from ADDRESS] [--backup-dir DIR --backup-every HOURS --backup-keep N]';

type Flags = Partial<Record<keyof typeof PRIVACY_FLAGS, string>>;

/**
 * Builds ServerConfig.privacy from serve's flags and the environment (CREATIVE_ENGINE_DATA_KEY_FILE,
 * CREATIVE_ENGINE_SMTP_URL — keeps SMTP credentials off the command line); UsageError on mistakes.
 */
export function privacyOptionsFromFlags(f: Flags, dataDir: string, env: NodeJS.ProcessEnv = process.env): PrivacyOptions {
  const options: PrivacyOptions = {};
  const keyFile = f['data-key-file'] ?? (env[DATA_KEY_FILE_ENV] || undefined);
  if (keyFile) options.dataKeyFile = path.resolve(keyFile);
  if (f['personal-data-retention'] !== undefined) {
    try {
      options.retention = parseRetentionFlag(f['personal-data-retention']);
    } catch (err) {
      throw new UsageError(`--personal-data-retention: ${(err as Error).message}`);
    }
  }
  const smtpUrl = f['smtp-url'] ?? (env.CREATIVE_ENGINE_SMTP_URL || undefined);
  if (smtpUrl !== undefined || f['mail-from'] !== undefined) {
    const problem = smtpUrl === undefined ? '--mail-from needs --smtp-url.' : checkSmtpSettings(smtpUrl, f['mail-from']);
    if (problem) throw new UsageError(problem);
    options.smtp = { url: smtpUrl!, from: f['mail-from']! };
  }
  const backupFlags = [f['backup-dir'], f['backup-every'], f['backup-keep']];
  if (backupFlags.some((v) => v !== undefined)) {
    if (backupFlags.some((v) => v === undefined)) throw new UsageError('Scheduled backups need all of --backup-dir, --backup-every HOURS and --backup-keep N.');
    const every = Number(f['backup-every']);
    if (!/^\d+(\.\d+)?$/.test(f['backup-every']!) || !(every > 0) || every > 24 * 366) throw new UsageError(`--backup-every must be a number of hours greater than 0, not "${f['backup-every']}".`);
    if (!/^\d{1,4}$/.test(f['backup-keep']!) || Number(f['backup-keep']) < 1) throw new UsageError(`--backup-keep must be a whole number of at least 1, not "${f['backup-keep']}".`);
    const dir = path.resolve(f['backup-dir']!);
    const rel = path.relative(path.resolve(dataDir), dir);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) throw new UsageError('--backup-dir must be outside the data directory (ideally on another volume).');
    options.backup = { dir, everyHours: every, keep: Number(f['backup-keep']) };
  }
  return options;
}
