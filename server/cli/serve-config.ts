import os from 'node:os';
import path from 'node:path';
import { MAX_WORKERS } from '../cluster/delivery-workers';
import { defaultPortal, resolveConfig, type ServerConfig } from '../config';
import { dataKeyFileFrom } from '../privacy/data-key';
import { parseRetentionFlag, type PrivacyOptions } from '../privacy/privacy-options';
import { checkSmtpSettings } from '../mail/mailer';
import { parseSealedRetentionFlags, RetentionConfigError } from '../retention/retention-period';
import { parsePort, parsePublicOrigin, UsageError } from '../command/args';

/** Every flag of `serve` (parseFlags options). */
export const SERVE_FLAGS = {
  data: { type: 'string' },
  'sealed-dir': { type: 'string' },
  'delivery-port': { type: 'string' },
  'delivery-host': { type: 'string' },
  'admin-port': { type: 'string' },
  'admin-host': { type: 'string' },
  'portal-port': { type: 'string' },
  'portal-host': { type: 'string' },
  'no-portal': { type: 'boolean' },
  'trust-proxy': { type: 'string' },
  'geoip-file': { type: 'string' },
  reach: { type: 'boolean' },
  'public-url': { type: 'string' },
  'portal-public-url': { type: 'string' },
  'console-dir': { type: 'string' },
  tls: { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'log-debug': { type: 'boolean' },
  'sealed-retention-months': { type: 'string' },
  'sealed-retention-days': { type: 'string' },
  'seal-buffer-mb': { type: 'string' },
  'seal-buffer-records': { type: 'string' },
  'data-key-file': { type: 'string' },
  'personal-data-retention': { type: 'string' },
  'smtp-url': { type: 'string' },
  'mail-from': { type: 'string' },
  'backup-dir': { type: 'string' },
  'backup-every': { type: 'string' },
  'backup-keep': { type: 'string' },
  workers: { type: 'string' },
} as const;

export const SERVE_USAGE =
  'serve [--data DIR] [--sealed-dir DIR] [--delivery-port N] [--delivery-host H] [--admin-port N] [--admin-host H] [--portal-port N] [--portal-host H | --no-portal] [--trust-proxy CIDR,…] [--geoip-file PATH.mmdb] [--reach] [--public-url URL] [--portal-public-url URL] [--tls-cert FILE --tls-key FILE | --tls] [--sealed-retention-months 1-3 | --sealed-retention-days 0-89] [--seal-buffer-mb N] [--seal-buffer-records N] [--log-debug] ' +
  '[--data-key-file PATH] [--personal-data-retention contracts=6y,invoices=10y,contact=0d,requests=0d] [--smtp-url smtp://HOST:PORT --mail-from ADDRESS] [--backup-dir DIR --backup-every HOURS --backup-keep N] [--workers N (1–16; default: the cores)]';

/** Parsed `serve` flags: strings, booleans for switches, undefined when absent. */
export type ServeFlags = { [K in keyof typeof SERVE_FLAGS]?: (typeof SERVE_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

/**
 * The whole ServerConfig of `serve` from its flags and the environment (CREATIVE_ENGINE_DATA,
 * CREATIVE_ENGINE_DATA_KEY_FILE, CREATIVE_ENGINE_SMTP_URL — keeps SMTP credentials off the command
 * line —, CREATIVE_ENGINE_CASE_TTL, CREATIVE_ENGINE_CASE_MAX_RECORDS, CREATIVE_ENGINE_TIME_ZONE, CREATIVE_ENGINE_REACH).
 * UsageError on a mistyped flag; an Error on a bad case setting.
 */
export function configFromFlags(f: ServeFlags, env: NodeJS.ProcessEnv, cores = os.availableParallelism()): ServerConfig {
  let sealedRetention;
  try {
    sealedRetention = parseSealedRetentionFlags(f['sealed-retention-months'], f['sealed-retention-days']);
  } catch (err) {
    throw err instanceof RetentionConfigError ? new UsageError(err.message) : err;
  }
  const publicUrl = f['public-url'] === undefined ? undefined : parsePublicOrigin(f['public-url'], '--public-url');
  const portalPublicUrl = f['portal-public-url'] === undefined ? undefined : parsePublicOrigin(f['portal-public-url'], '--portal-public-url');
  if (portalPublicUrl && f['no-portal']) throw new UsageError('--no-portal turns the portal off: leave out --portal-public-url.');
  const dataDir = f.data ?? env.CREATIVE_ENGINE_DATA ?? 'data';
  return resolveConfig({
    dataDir,
    delivery: { host: f['delivery-host'] ?? '0.0.0.0', port: parsePort(f['delivery-port'], '--delivery-port', 8080) },
    admin: { host: f['admin-host'] ?? '127.0.0.1', port: parsePort(f['admin-port'], '--admin-port', 8081) },
    portal: portalFrom(f),
    trustProxy: f['trust-proxy'] ? f['trust-proxy'].split(',').map((s) => s.trim()).filter(Boolean) : [],
    publicUrl,
    portalPublicUrl,
    consoleDir: f['console-dir'],
    tls: f.tls ?? false,
    tlsFiles: tlsFilesFrom(f),
    sealing: {
      dir: f['sealed-dir'],
      retention: sealedRetention,
      buffer: {
        bytes: positiveInt(f['seal-buffer-mb'], '--seal-buffer-mb', 1 << 20) ?? undefined,
        records: positiveInt(f['seal-buffer-records'], '--seal-buffer-records', 1) ?? undefined,
      },
    },
    privacy: privacyFrom(f, env),
    mail: mailFrom(f, env),
    backup: backupFrom(f, dataDir),
    cases: casesFrom(env),
    timeZone: env.CREATIVE_ENGINE_TIME_ZONE?.trim() || undefined,
    geoipFile: f['geoip-file'] ? path.resolve(f['geoip-file']) : undefined,
    reach: f.reach ?? reachFromEnv(env.CREATIVE_ENGINE_REACH),
    deliveryWorkers: workersFrom(f.workers, cores),
  });
}

/** `--workers N`: delivery processes sharing the port, 1–16; by default one per core (at most 16). */
export function workersFrom(value: string | undefined, cores: number): number {
  if (value === undefined) return Math.max(1, Math.min(MAX_WORKERS, cores));
  if (!/^\d{1,2}$/.test(value) || Number(value) < 1 || Number(value) > MAX_WORKERS) throw new UsageError(`--workers must be a whole number from 1 to ${MAX_WORKERS}, not "${value}".`);
  return Number(value);
}

/** CREATIVE_ENGINE_REACH: 1/true/on or 0/false/off (unset = off); anything else is a usage error. */
function reachFromEnv(value: string | undefined): boolean {
  const v = value?.trim().toLowerCase() ?? '';
  if (v === '' || v === '0' || v === 'false' || v === 'off') return false;
  if (v === '1' || v === 'true' || v === 'on') return true;
  throw new UsageError(`CREATIVE_ENGINE_REACH must be 1 or 0 (on or off), not "${value}".`);
}

/** The portal listener: off with --no-portal, else the flags over the defaults (which depend on TLS). */
function portalFrom(f: ServeFlags): ServerConfig['portal'] {
  if (f['no-portal']) {
    if (f['portal-host'] !== undefined || f['portal-port'] !== undefined) throw new UsageError('--no-portal turns the portal off: leave out --portal-host and --portal-port.');
    return null;
  }
  const fallback = defaultPortal((f.tls ?? false) || f['tls-cert'] !== undefined);
  return { host: f['portal-host'] ?? fallback.host, port: parsePort(f['portal-port'], '--portal-port', fallback.port) };
}

/** Native TLS: both PEM files or neither. */
function tlsFilesFrom(f: ServeFlags): ServerConfig['tlsFiles'] {
  const cert = f['tls-cert'];
  const key = f['tls-key'];
  if (cert === undefined && key === undefined) return undefined;
  if (!cert || !key) throw new UsageError('native TLS needs both --tls-cert FILE and --tls-key FILE (PEM).');
  return { certFile: path.resolve(cert), keyFile: path.resolve(key) };
}

/** A whole number ≥ 1 (at most 2^31) times `unit`, or null when the flag is absent. */
function positiveInt(value: string | undefined, name: string, unit: number): number | null {
  if (value === undefined) return null;
  if (!/^\d{1,10}$/.test(value) || Number(value) < 1 || Number(value) > 2 ** 31) throw new UsageError(`${name} must be a whole number of at least 1, not "${value}".`);
  return Number(value) * unit;
}

function privacyFrom(f: ServeFlags, env: NodeJS.ProcessEnv): PrivacyOptions {
  const options: PrivacyOptions = {};
  const keyFile = dataKeyFileFrom(f['data-key-file'], env);
  if (keyFile) options.dataKeyFile = keyFile;
  if (f['personal-data-retention'] !== undefined) {
    try {
      options.retention = parseRetentionFlag(f['personal-data-retention']);
    } catch (err) {
      throw new UsageError(`--personal-data-retention: ${(err as Error).message}`);
    }
  }
  return options;
}

function mailFrom(f: ServeFlags, env: NodeJS.ProcessEnv): ServerConfig['mail'] {
  const smtpUrl = f['smtp-url'] ?? (env.CREATIVE_ENGINE_SMTP_URL || undefined);
  if (smtpUrl === undefined && f['mail-from'] === undefined) return undefined;
  const problem = smtpUrl === undefined ? '--mail-from needs --smtp-url.' : checkSmtpSettings(smtpUrl, f['mail-from']);
  if (problem) throw new UsageError(problem);
  return { url: smtpUrl!, from: f['mail-from']! };
}

function backupFrom(f: ServeFlags, dataDir: string): ServerConfig['backup'] {
  const backupFlags = [f['backup-dir'], f['backup-every'], f['backup-keep']];
  if (backupFlags.every((v) => v === undefined)) return undefined;
  if (backupFlags.some((v) => v === undefined)) throw new UsageError('Scheduled backups need all of --backup-dir, --backup-every HOURS and --backup-keep N.');
  const every = Number(f['backup-every']);
  if (!/^\d+(\.\d+)?$/.test(f['backup-every']!) || !(every > 0) || every > 24 * 366) throw new UsageError(`--backup-every must be a number of hours greater than 0, not "${f['backup-every']}".`);
  if (!/^\d{1,4}$/.test(f['backup-keep']!) || Number(f['backup-keep']) < 1) throw new UsageError(`--backup-keep must be a whole number of at least 1, not "${f['backup-keep']}".`);
  const dir = path.resolve(f['backup-dir']!);
  const rel = path.relative(path.resolve(dataDir), dir);
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) throw new UsageError('--backup-dir must be outside the data directory (ideally on another volume).');
  return { dir, everyHours: every, keep: Number(f['backup-keep']) };
}

const DAY_MS = 86_400_000;
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS };

/** Case settings: CREATIVE_ENGINE_CASE_TTL (e.g. 7d, 36h; at most 31d), CREATIVE_ENGINE_CASE_MAX_RECORDS. */
function casesFrom(env: NodeJS.ProcessEnv): ServerConfig['cases'] {
  const ttlText = env.CREATIVE_ENGINE_CASE_TTL ?? '7d';
  const m = /^(\d{1,6})([smhd])$/.exec(ttlText.trim());
  const ttlMs = m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
  if (!(ttlMs >= 60_000 && ttlMs <= 31 * DAY_MS)) {
    throw new Error(`CREATIVE_ENGINE_CASE_TTL must be a duration from 1m to 31d such as 7d or 36h, not "${ttlText}".`);
  }
  const maxText = env.CREATIVE_ENGINE_CASE_MAX_RECORDS ?? '500000';
  const maxRecords = /^\d{1,8}$/.test(maxText) ? Number(maxText) : NaN;
  if (!(maxRecords >= 1)) throw new Error(`CREATIVE_ENGINE_CASE_MAX_RECORDS must be a positive number, not "${maxText}".`);
  return { ttlMs, maxRecords };
}
