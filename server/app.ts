import { AuditLog } from './audit/audit-log';
import { EventEmitter, type AppContext, type AppEvents } from './app-context';
import { composeServer, type ComposedServer, type Services } from './compose';
import type { ServerConfig } from './config';
import { assertEveryRouteRuled, type AdminState } from './admin/admin-route';
import { serveConsoleFile } from './admin/console-files';
import { close, createListener, listen, urlOf } from './http/listener';
import { Router } from './http/router';
import { applyAdminHeaders, applyDeliveryHeaders } from './http/security-headers';
import { createLogger, type Logger } from './log/logger';
import { openDatabase } from './store/database';

/** A running server: both listeners, their URLs and a clean stop. */
export interface App {
  ctx: AppContext;
  /** The services compose.ts built (tests inspect the sealer, the statistics, the field cipher). */
  services: Services;
  deliveryUrl: string;
  adminUrl: string;
  /** Every route of each listener, as registered (tests walk them all). */
  routes: { delivery: ReadonlyArray<{ method: string; path: string }>; admin: ReadonlyArray<{ method: string; path: string }> };
  /** Stops both listeners, waits for requests in flight, then runs every flush hook and closes the store. */
  stop(): Promise<void>;
}

/** Opens the store, builds the server (compose.ts) and starts both listeners. */
export async function startApp(config: ServerConfig, options: { log?: Logger; now?: () => Date } = {}): Promise<App> {
  const log = options.log ?? createLogger({ silent: config.silent });
  const now = options.now ?? (() => new Date());
  const db = openDatabase(config.dataDir);
  const stopHooks: Array<() => void | Promise<void>> = [];
  let deliveryBase = config.publicUrl ?? '';
  const ctx: AppContext = {
    config,
    db,
    log,
    audit: new AuditLog(db, now),
    now,
    events: new EventEmitter<AppEvents>(),
    onStop: (fn) => stopHooks.push(fn),
    deliveryBaseUrl: () => deliveryBase,
  };
  const admin = new Router<AdminState>();
  const delivery = new Router<unknown>();
  const runStopHooks = async () => {
    for (const hook of stopHooks.reverse()) {
      try {
        await hook();
      } catch (err) {
        log.error('shutdown hook failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  let server: ComposedServer;
  try {
    server = await composeServer(ctx, { admin, delivery });
    assertEveryRouteRuled(admin);
  } catch (err) {
    // Services built before the failing one may hold workers or timers: stop them too.
    await runStopHooks();
    db.close();
    throw err;
  }

  const deliveryServer = createListener<unknown>({
    name: 'delivery',
    router: delivery,
    log,
    applyHeaders: (res) => applyDeliveryHeaders(res, config.tls),
    createState: server.deliveryGate,
    onFinish: server.onDeliveryFinish,
  });
  const adminServer = createListener<AdminState>({
    name: 'admin',
    router: admin,
    log,
    applyHeaders: (res) => applyAdminHeaders(res, config.tls),
    createState: () => ({ resolver: server.services.sessions }),
    fallback: (req, res, path) => (path.startsWith('/api/') ? false : serveConsoleFile(config.consoleDir, req, res, path)),
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all([close(deliveryServer), close(adminServer)]);
      await runStopHooks();
      db.close();
    })());

  try {
    const d = await listen(deliveryServer, config.delivery.port, config.delivery.host);
    const a = await listen(adminServer, config.admin.port, config.admin.host);
    const deliveryUrl = urlOf(d);
    deliveryBase ||= deliveryUrl;
    return { ctx, services: server.services, deliveryUrl, adminUrl: urlOf(a), routes: { delivery: delivery.routes(), admin: admin.routes() }, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
