import { EventEmitter } from 'node:events';
import type { AuditLog } from './audit/audit-log';
import type { ServerConfig } from './config';
import type { Router } from './http/router';
import type { Logger } from './log/logger';
import type { Db } from './store/database';
import type { AdminState } from './admin/admin-route';
import type { PortalState } from './portal/portal-route';

/**
 * A change to delivery-relevant data: `what` names the kind of thing changed (zone, campaign,
 * creative, customer, …); `campaignId` is set when the change touches that one campaign only (its
 * settings, status, zone links, prices or creatives), so the delivery index may update just its
 * zones. Plain JSON, so it can be forwarded to other processes.
 */
export interface DataChange {
  what: string;
  campaignId?: string;
}

/** Events of the running app (emitted by the catalogue and retention, heard by the delivery index). */
export interface AppEvents {
  /** Delivery-relevant data (zones, campaigns, creatives, customers) changed: rebuild indexes. */
  'data-changed': [change: DataChange];
  /** The delivery token key was rotated (delivery workers get the new keys). */
  'token-keys-rotated': [];
}

/**
 * The basics every part of the server uses, built first by startApp and never changed afterwards.
 * Services (privacy, sessions, sealing, statistics, …) are not in here: compose.ts builds them and
 * passes each feature the ones it needs as parameters.
 */
export interface AppContext {
  readonly config: ServerConfig;
  readonly db: Db;
  readonly log: Logger;
  readonly audit: AuditLog;
  /** The clock; tests may replace it. */
  now(): Date;
  readonly events: EventEmitter<AppEvents>;
  /** Registers work to run at shutdown (flushes), in reverse order of registration. */
  onStop(fn: () => void | Promise<void>): void;
  /** Public base URL of the delivery listener, known once it is bound. */
  deliveryBaseUrl(): string;
  /** Public origin of the portal listener (`--portal-public-url`, else its bound URL); empty when the portal is off. */
  portalBaseUrl(): string;
}

/** The routers of the listeners, filled by the features. */
export interface Routers {
  admin: Router<AdminState>;
  delivery: Router<unknown>;
  /** Customer portal and public pages; its routes exist even when the listener is off (`--no-portal`). */
  portal: Router<PortalState>;
}

export { EventEmitter };
