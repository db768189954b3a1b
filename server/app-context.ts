import { EventEmitter } from 'node:events';
import type { AuditLog } from './audit/audit-log';
import type { ServerConfig } from './config';
import type { Router } from './http/router';
import type { Logger } from './log/logger';
import type { Db } from './store/database';
import type { AdminState, SessionResolver } from './admin/admin-route';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Events features use to talk without importing each other. */
export interface AppEvents {
  /** Delivery-relevant data (zones, campaigns, creatives, customers) changed: rebuild indexes. */
  'data-changed': [what: string];
}

/** Shared services every feature receives. */
export interface AppContext {
  config: ServerConfig;
  db: Db;
  log: Logger;
  audit: AuditLog;
  /** The clock; tests may replace it. */
  now(): Date;
  events: EventEmitter<AppEvents>;
  /** Resolves admin sessions; set by the auth feature. */
  sessions: SessionResolver;
  /** Registers work to run at shutdown (flushes), in reverse order of registration. */
  onStop(fn: () => void | Promise<void>): void;
  /** Hooks called after each delivery response (access records). */
  deliveryFinishHooks: Array<(req: IncomingMessage, res: ServerResponse, peer: string) => void>;
  /** Public base URL of the delivery listener, known once it is bound. */
  deliveryBaseUrl(): string;
}

/** A feature wires its routes and services into the app. */
export type Feature = (ctx: AppContext, routers: { admin: Router<AdminState>; delivery: Router<unknown> }) => void | Promise<void>;

export { EventEmitter };
