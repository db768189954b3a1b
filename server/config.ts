import path from 'node:path';
import type { PrivacyOptions } from './privacy/privacy-options';
import type { SmtpSettings } from './mail/mailer';
import type { SealedRetention } from './retention/retention-period';
import type { TlsFiles } from './tls/tls-files';

/** Sealed access logs: where they go, how much waits in memory, how long they are kept. */
export interface SealingConfig {
  /** Sealed access-log segments; defaults to `<dataDir>/sealed`, may be another volume. */
  dir: string;
  /**
   * Memory for access records that cannot be written yet (a full or failing sealed-log disk):
   * at most `bytes` (default 64 MiB) and, when given, `records`. Once it is full, delivery answers 503.
   */
  buffer?: { bytes?: number; records?: number };
  /** How long sealed access logs are kept after the end of their month: 1–3 months (default 3) or 0–89 days; longer is refused at start-up. */
  retention?: SealedRetention;
}

/**
 * Every setting of `serve`, grouped by concern. Built from flags and environment in one place
 * (cli/serve-config.ts) or directly by tests; the server reads nothing else.
 */
export interface ServerConfig {
  /** Store, token keys and other state. */
  dataDir: string;
  delivery: { host: string; port: number };
  admin: { host: string; port: number };
  /**
   * The customer portal and the public pages (privacy statement, imprint, contact form); null when
   * turned off (`--no-portal`, the desktop app's embedded server). Default 0.0.0.0:8443 when clients
   * use HTTPS, 127.0.0.1:8082 otherwise; beyond loopback only under TLS.
   */
  portal: { host: string; port: number } | null;
  /** Peers (CIDRs or addresses) whose X-Forwarded-For is honoured. */
  trustProxy: string[];
  /** Base URL publishers reach the delivery listener at (used in tags); default: from the bound address. */
  publicUrl?: string;
  /** Origin customers reach the portal at (used in invitation links); default: from the bound address. */
  portalPublicUrl?: string;
  /** Built console files served at `/` by the admin listener. */
  consoleDir: string;
  /** Built customer-portal files served at `/` by the portal listener. */
  portalDir: string;
  /**
   * Whether clients reach the listeners over HTTPS (adds Secure to cookies, HSTS): true with native TLS
   * (`tlsFiles`) and in the proxy mode (`--tls`, a TLS proxy in front).
   */
  tls: boolean;
  /** Native TLS: every listener serves HTTPS with this PEM pair, re-read on SIGHUP. */
  tlsFiles?: TlsFiles;
  /** Log nothing (tests). */
  silent?: boolean;
  sealing: SealingConfig;
  /** Data key file and personal-data retention periods. */
  privacy?: PrivacyOptions;
  /** Outgoing mail for forwarding requests to customers; forwarding answers 503 without it. */
  mail?: SmtpSettings;
  /** Scheduled encrypted backups written by `serve`. */
  backup?: { dir: string; everyHours: number; keep: number };
  /** Unsealing cases: how long a case lives (1 minute to 31 days, default 7) and the most records it keeps (default 500,000). */
  cases: { ttlMs: number; maxRecords: number };
  /** Time zone of hour-of-day and weekday targeting (IANA name); default Europe/Berlin, an unknown one falls back with a warning. */
  timeZone?: string;
  /** A MaxMind DB (.mmdb) country or city database replacing the shipped IP→country table (--geoip-file). */
  geoipFile?: string;
  /**
   * Cookieless reach per campaign and day (`--reach`, CREATIVE_ENGINE_REACH=1): impressions feed a
   * HyperLogLog sketch with a keyed hash of address, user agent and site; off by default, and then
   * nothing is hashed for reach.
   */
  reach?: boolean;
  /**
   * Delivery worker processes sharing the delivery port (`serve --workers N`; node:cluster): the
   * primary keeps the store, the admin and portal listeners, the sealer and the statistics flush.
   * 1 (the default, and the desktop app's embedded server) serves delivery in the one process.
   */
  deliveryWorkers?: number;
}

/** What resolveConfig accepts: any part of the config, the sealing settings partly too. */
export type ServerConfigInput = Partial<Omit<ServerConfig, 'sealing'>> & { sealing?: Partial<SealingConfig> };

/** The package root, found from this bundle's location (dist/server/*.js) or the sources (server/*.ts). */
export function packageRoot(): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  return path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) || here.endsWith(`${path.sep}dist`) ? '../..' : '..');
}

/** Fills in defaults for everything not given. */
export function resolveConfig(partial: ServerConfigInput & { dataDir: string }): ServerConfig {
  const dataDir = path.resolve(partial.dataDir);
  return {
    dataDir,
    delivery: partial.delivery ?? { host: '0.0.0.0', port: 8080 },
    admin: partial.admin ?? { host: '127.0.0.1', port: 8081 },
    portal: partial.portal === undefined ? defaultPortal((partial.tls ?? false) || partial.tlsFiles !== undefined) : partial.portal,
    trustProxy: partial.trustProxy ?? [],
    publicUrl: partial.publicUrl,
    portalPublicUrl: partial.portalPublicUrl,
    consoleDir: partial.consoleDir ?? path.join(packageRoot(), 'dist', 'renderer'),
    portalDir: partial.portalDir ?? path.join(packageRoot(), 'dist', 'portal'),
    tls: (partial.tls ?? false) || partial.tlsFiles !== undefined,
    tlsFiles: partial.tlsFiles,
    silent: partial.silent,
    sealing: {
      dir: path.resolve(partial.sealing?.dir ?? path.join(dataDir, 'sealed')),
      buffer: partial.sealing?.buffer,
      retention: partial.sealing?.retention,
    },
    privacy: partial.privacy,
    mail: partial.mail,
    backup: partial.backup,
    cases: partial.cases ?? { ttlMs: 7 * 86_400_000, maxRecords: 500_000 },
    geoipFile: partial.geoipFile,
    timeZone: partial.timeZone,
    reach: partial.reach ?? false,
    deliveryWorkers: partial.deliveryWorkers ?? 1,
  };
}

/** Where the portal listens unless told otherwise: public under HTTPS, this computer only without. */
export function defaultPortal(clientsUseHttps: boolean): { host: string; port: number } {
  return clientsUseHttps ? { host: '0.0.0.0', port: 8443 } : { host: '127.0.0.1', port: 8082 };
}
