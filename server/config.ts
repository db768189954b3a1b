import path from 'node:path';
import type { PrivacyOptions } from './privacy/privacy-options';

/** Everything `serve` needs; built from CLI flags and environment by the CLI, or directly by tests. */
export interface ServerConfig {
  /** Store, token keys and other state. */
  dataDir: string;
  /** Sealed access-log segments; defaults to `<dataDir>/sealed`, may be another volume. */
  sealedDir: string;
  delivery: { host: string; port: number };
  admin: { host: string; port: number };
  /** Peers (CIDRs or addresses) whose X-Forwarded-For is honoured. */
  trustProxy: string[];
  /** Base URL publishers reach the delivery listener at (used in tags); default: from the bound address. */
  publicUrl?: string;
  /** Built console files served at `/` by the admin listener. */
  consoleDir: string;
  /** Whether the listeners sit behind TLS (adds Secure to cookies, HSTS). */
  tls: boolean;
  /** Log nothing (tests). */
  silent?: boolean;
  /** Data key file, personal-data retention periods, SMTP for forwarding requests, scheduled backups. */
  privacy?: PrivacyOptions;
  /** How long sealed access logs are kept after the end of their month: 1–3 months (default 3) or 0–89 days; longer is refused at start-up. */
  sealedRetention?: { months?: number; days?: number };
  /**
   * Memory for access records that cannot be written yet (a full or failing sealed-log disk):
   * at most `bytes` (default 64 MiB) and, when given, `records`. Once it is full, delivery answers 503.
   */
  sealBuffer?: { bytes?: number; records?: number };
  /** Unsealing cases: how long a case lives (1 minute to 31 days, default 7) and the most records it keeps (default 500,000). */
  cases: { ttlMs: number; maxRecords: number };
  /** Time zone of hour-of-day and weekday targeting (IANA name); default Europe/Berlin, an unknown one falls back with a warning. */
  timeZone?: string;
}

/** The package root, found from this bundle's location (dist/server/*.js) or the sources (server/*.ts). */
export function packageRoot(): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  return path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) || here.endsWith(`${path.sep}dist`) ? '../..' : '..');
}

/** Fills in defaults for everything not given. */
export function resolveConfig(partial: Partial<ServerConfig> & { dataDir: string }): ServerConfig {
  const dataDir = path.resolve(partial.dataDir);
  return {
    dataDir,
    sealedDir: path.resolve(partial.sealedDir ?? path.join(dataDir, 'sealed')),
    delivery: partial.delivery ?? { host: '0.0.0.0', port: 8080 },
    admin: partial.admin ?? { host: '127.0.0.1', port: 8081 },
    trustProxy: partial.trustProxy ?? [],
    publicUrl: partial.publicUrl,
    consoleDir: partial.consoleDir ?? path.join(packageRoot(), 'dist', 'renderer'),
    tls: partial.tls ?? false,
    silent: partial.silent,
    privacy: partial.privacy,
    sealedRetention: partial.sealedRetention,
    sealBuffer: partial.sealBuffer,
    cases: partial.cases ?? { ttlMs: 7 * 86_400_000, maxRecords: 500_000 },
    timeZone: partial.timeZone,
  };
}
