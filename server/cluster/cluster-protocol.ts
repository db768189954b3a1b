import type { DataChange } from '../app-context';
import type { ServerConfig } from '../config';
import type { HealthProblem } from '../delivery/health';
import type { ClaimKind, PageExclude, RemoteServed } from '../delivery/delivery-service';
import type { TokenClaims, TokenKeys } from '../delivery/tokens';
import type { RollupDelta } from '../stats/stats-repo';

/**
 * The messages between the primary and its delivery workers (node:cluster IPC with the "advanced"
 * serialization: Buffers, Maps and typed arrays pass as they are). Everything a worker sends is
 * batched; everything the primary sends is small, except the first campaign totals.
 */

/** The delivery worker's bundle, built next to the server bundle (scripts/build.mjs). */
export const DELIVERY_WORKER_BUNDLE = 'delivery-worker.js';

/** How often a worker hands its counts, claims and access records to the primary. */
export const WORKER_BATCH_MS = 100;
/** A worker sends at once when this many access records wait (bounds its memory under load). */
export const WORKER_BATCH_RECORDS = 1_000;
/** How often the primary sends campaign totals, the sealed-log gate and health to its workers. */
export const PRIMARY_SYNC_MS = 100;

/** What a worker needs of the configuration: no secrets beyond the TLS files' paths, no SMTP, no data key. */
export type WorkerConfig = Pick<ServerConfig, 'dataDir' | 'delivery' | 'trustProxy' | 'publicUrl' | 'tls' | 'tlsFiles' | 'silent' | 'timeZone' | 'geoipFile' | 'reach'>;

/** One campaign's running totals: operator-local day (ms), served that day, served, viewable, clicks. */
export type CampaignTotals = [id: string, day: number, today: number, total: number, viewable: number, clicks: number];

/** A verified token a worker saw: the primary counts it once per decision. */
export interface Claim {
  kind: ClaimKind;
  claims: TokenClaims;
  campaignId: string;
  measurable: boolean;
  /** Only with reach on (the visitor's keyed hash is made in the primary); '' otherwise. */
  clientIp: string;
  userAgent: string | undefined;
}

export type PrimaryMessage =
  | {
      t: 'start';
      /** The worker's number (1…N), kept by its replacement. */
      n: number;
      config: WorkerConfig;
      keys: TokenKeys;
      totals: CampaignTotals[];
      gateFull: boolean;
      problems: HealthProblem[];
      debug: boolean;
    }
  | { t: 'data-changed'; change: DataChange }
  | { t: 'keys'; keys: TokenKeys }
  /** `acked`: the last batch of this worker the totals include. */
  | { t: 'sync'; acked: number; totals: CampaignTotals[]; gateFull: boolean; problems: HealthProblem[] }
  | { t: 'decided'; id: number; served: Array<RemoteServed | null> | null; error?: { status: number; message: string } }
  | { t: 'tls-reload' }
  | { t: 'stop' };

export type WorkerMessage =
  /** The worker's code is loaded and listens for 'start' (a message sent before would be lost). */
  | { t: 'hello' }
  /** `records`: access records as RECORD_FIELDS values each (sealing/access-record.ts), in order. */
  | { t: 'batch'; seq: number; deltas: RollupDelta[]; claims: Claim[]; records: Array<string | number | undefined> }
  | {
      t: 'decide';
      id: number;
      placements: Array<{ zoneId: string; keywords: readonly string[] | null }>;
      /** A page's exclusions (a page continued here: what it already shows); undefined for a single decision. */
      exclude: PageExclude | undefined;
      userAgent: string | undefined;
      clientIp: string;
      /** The creative the worker drew for the first placement ignoring per-visitor caps; served if the visitor may still see it. */
      preferred?: string;
    }
  /** The last message of a worker that was told to stop: everything before it was sent. */
  | { t: 'stopped' };
