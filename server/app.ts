import { AuditLog } from './audit/audit-log';
import { EventEmitter, type AppContext, type AppEvents } from './app-context';
import { composeServer, type ComposedServer, type Services } from './compose';
import type { ServerConfig } from './config';
import { assertEveryRouteRuled, type AdminState } from './admin/admin-route';
import { serveConsoleFile } from './admin/console-files';
import { close, createListener, listen, urlOf } from './http/listener';
import { Router } from './http/router';
import { applyAdminHeaders, applyDeliveryHeaders, applyPortalHeaders } from './http/security-headers';
import { createLogger, type Logger } from './log/logger';
import { openDatabase } from './store/database';
import { startCheckpointer } from './store/checkpointer';
import { AdminExposureError, adminExposureProblem, portalExposureProblem } from './tls/exposure';
import { assertEveryPortalRouteRuled, type PortalState } from './portal/portal-route';
import { PORTAL_API_PREFIX } from '../common/portal-access';
import { loadTlsPair, type TlsPair } from './tls/tls-files';
import type { BoundListener } from '../common/listen-line';
import type { TlsFingerprint } from '../common/tls-fingerprint';
import { deliveryWorkerScript, startDeliveryWorkers, type DeliveryWorkers } from './cluster/delivery-workers';

/** What a certificate reload did: the new fingerprint, or why the old pair stays. */
export type TlsReloadResult = { ok: true; fingerprint: TlsFingerprint } | { ok: false; error: string };

/** Native TLS of a running app: the certificate served now, and a reload from the same files (SIGHUP). */
export interface AppTls {
  readonly fingerprint: TlsFingerprint;
  /** `CN=…; DNS:…, IP Address:…` of the certificate served now. */
  readonly summary: string;
  /** Re-reads both files and swaps the pair on every listener without dropping connections; a bad pair keeps the old one and logs one line. */
  reload(): TlsReloadResult;
}

/** A running server: its listeners, their URLs and a clean stop. */
export interface App {
  ctx: AppContext;
  /** The services compose.ts built (tests inspect the sealer, the statistics, the field cipher). */
  services: Services;
  deliveryUrl: string;
  adminUrl: string;
  /** The portal listener's URL; undefined when it is off (`--no-portal`). */
  portalUrl?: string;
  /** The addresses really bound, for the "listening on" lines (common/listen-line.ts). */
  listeners: BoundListener[];
  /** Set under native TLS (`config.tlsFiles`). */
  tls?: AppTls;
  /** The delivery worker processes when `config.deliveryWorkers` > 1 (tests kill one). */
  workers?: DeliveryWorkers;
  /** Every route of each listener, as registered (tests walk them all). */
  routes: { delivery: ReadonlyArray<{ method: string; path: string }>; admin: ReadonlyArray<{ method: string; path: string }>; portal: ReadonlyArray<{ method: string; path: string }> };
  /** Stops the listeners, waits for requests in flight, then runs every flush hook and closes the store. */
  stop(): Promise<void>;
}

/** Opens the store, builds the server (compose.ts) and starts the listeners. */
export async function startApp(config: ServerConfig, options: { log?: Logger; now?: () => Date; workerScript?: string; debug?: boolean } = {}): Promise<App> {
  const log = options.log ?? createLogger({ silent: config.silent });
  const now = options.now ?? (() => new Date());
  // Both checks come before the store opens: a refused start leaves nothing behind.
  const exposure = adminExposureProblem(config.admin.host, config.tls);
  if (exposure) throw new AdminExposureError(exposure);
  const portalExposure = config.portal && portalExposureProblem(config.portal.host, config.tls);
  if (portalExposure) throw new AdminExposureError(portalExposure);
  let tlsPair: TlsPair | undefined = config.tlsFiles && loadTlsPair(config.tlsFiles, now());
  if (tlsPair?.warning) log.warn(tlsPair.warning);
  const db = openDatabase(config.dataDir);
  // Write-ahead log checkpoints off the event loop (store/checkpointer.ts); stopped after the last flush, before the store closes.
  const checkpointer = startCheckpointer(db, config.dataDir, (code) => log.warn('store checkpoint failed; retried every second', { code }));
  const stopHooks: Array<() => void | Promise<void>> = [];
  let deliveryBase = config.publicUrl ?? '';
  let portalBase = config.portal ? (config.portalPublicUrl ?? '') : '';
  const ctx: AppContext = {
    config,
    db,
    log,
    audit: new AuditLog(db, now),
    now,
    events: new EventEmitter<AppEvents>(),
    onStop: (fn) => stopHooks.push(fn),
    deliveryBaseUrl: () => deliveryBase,
    portalBaseUrl: () => portalBase,
  };
  const admin = new Router<AdminState>();
  const delivery = new Router<unknown>();
  const portal = new Router<PortalState>();
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
    server = await composeServer(ctx, { admin, delivery, portal });
    assertEveryRouteRuled(admin);
    assertEveryPortalRouteRuled(portal);
  } catch (err) {
    // Services built before the failing one may hold workers or timers: stop them too.
    await runStopHooks();
    await checkpointer.stop();
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
    tls: tlsPair,
  });
  const adminServer = createListener<AdminState>({
    name: 'admin',
    router: admin,
    log,
    applyHeaders: (res) => applyAdminHeaders(res, config.tls),
    createState: () => ({ resolver: server.services.sessions }),
    fallback: (req, res, path) => (isApiPath(path) ? false : serveConsoleFile(config.consoleDir, req, res, path)),
    tls: tlsPair,
    compressJson: true,
  });
  // Customers and the public: own cookie (psid), own API (/portal-api/), own files; never the staff API.
  const portalServer = config.portal
    ? createListener<PortalState>({
        name: 'portal',
        router: portal,
        log,
        applyHeaders: (res) => applyPortalHeaders(res, config.tls),
        createState: () => ({ resolver: server.services.portalSessions }),
        fallback: (req, res, path) => (isApiPath(path) ? false : serveConsoleFile(config.portalDir, req, res, path)),
        tls: tlsPair,
        compressJson: true,
      })
    : null;
  // With delivery workers the primary serves no delivery itself: the workers share the port.
  const workerCount = config.deliveryWorkers ?? 1;
  const servers = [...(workerCount > 1 ? [] : [deliveryServer]), adminServer, ...(portalServer ? [portalServer] : [])];
  let workers: DeliveryWorkers | undefined;
  const tlsFiles = config.tlsFiles;
  const tls: AppTls | undefined =
    tlsFiles && tlsPair
      ? {
          get fingerprint() {
            return tlsPair!.fingerprint;
          },
          get summary() {
            return tlsPair!.summary;
          },
          reload() {
            let next: TlsPair;
            try {
              next = loadTlsPair(tlsFiles, now());
            } catch (err) {
              const error = err instanceof Error ? err.message : String(err);
              log.error(`TLS reload failed, still serving ${tlsPair!.fingerprint}: ${error}`);
              return { ok: false, error };
            }
            for (const s of servers) if ('setSecureContext' in s) s.setSecureContext({ cert: next.cert, key: next.key });
            tlsPair = next;
            workers?.reloadTls();
            if (next.warning) log.warn(next.warning);
            log.info(`TLS certificate reloaded: ${next.fingerprint} (${next.summary})`);
            return { ok: true, fingerprint: next.fingerprint };
          },
        }
      : undefined;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Workers send their last counts and access records before the flushes run.
      await Promise.all([...servers.map((s) => close(s)), workers?.stop()]);
      await runStopHooks();
      await checkpointer.stop();
      db.close();
    })());

  try {
    if (workerCount > 1) {
      const { sealer } = server.services.sealing;
      workers = await startDeliveryWorkers(
        ctx,
        { delivery: server.delivery, stats: server.services.stats, sealer, health: { sealer, stats: server.services.stats } },
        { count: workerCount, exec: options.workerScript ?? deliveryWorkerScript(), debug: options.debug },
      );
    }
    const d = workers ? workers.address : await listen(deliveryServer, config.delivery.port, config.delivery.host);
    const a = await listen(adminServer, config.admin.port, config.admin.host);
    const scheme = tls ? 'https' : 'http';
    const deliveryUrl = urlOf(d, scheme);
    deliveryBase ||= deliveryUrl;
    // The zone index's first build waited for the delivery address (ZoneIndex): made now, not by the first request.
    server.delivery.service.index.current(deliveryBase);
    const listeners: BoundListener[] = [
      { name: 'delivery', scheme, address: d.address, port: d.port },
      { name: 'admin', scheme, address: a.address, port: a.port },
    ];
    let portalUrl: string | undefined;
    if (portalServer && config.portal) {
      const p = await listen(portalServer, config.portal.port, config.portal.host);
      portalUrl = urlOf(p, scheme);
      portalBase ||= portalUrl;
      listeners.push({ name: 'portal', scheme, address: p.address, port: p.port });
    }
    const routes = { delivery: delivery.routes(), admin: admin.routes(), portal: portal.routes() };
    return { ctx, services: server.services, deliveryUrl, adminUrl: urlOf(a, scheme), portalUrl, listeners, tls, workers, routes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** API paths never fall back to the SPA's files: unknown ones answer 404 JSON on every listener. */
const isApiPath = (path: string) => path.startsWith('/api/') || path.startsWith(PORTAL_API_PREFIX) || path === '/api' || path === '/portal-api';
