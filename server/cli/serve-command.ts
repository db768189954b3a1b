import { startApp } from '../app';
import { openMmdb } from '../geo/mmdb-lookup';
import { createLogger } from '../log/logger';
import { parseFlags, type Command } from '../command/args';
import { configFromFlags, SERVE_FLAGS, SERVE_USAGE } from './serve-config';
import { listenLine } from '../../common/listen-line';

/** `serve`: runs the delivery, admin and portal listeners until SIGINT/SIGTERM, then flushes and exits. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the delivery, admin and portal listeners',
  usage: SERVE_USAGE,
  async run(argv) {
    const f = parseFlags(argv, SERVE_FLAGS);
    const config = configFromFlags(f, process.env);
    // An unusable --geoip-file is refused before anything starts (one line; delivery opens it again).
    if (config.geoipFile) openMmdb(config.geoipFile);
    // Debug lines note harmless events (clients that went away); never personal data.
    const log = createLogger({ debug: f['log-debug'] ?? false });
    const app = await startApp(config, { log, debug: f['log-debug'] ?? false });
    if (app.workers) log.info(`delivery: ${config.deliveryWorkers} worker processes share the port`);
    if (app.tls) log.info(`TLS certificate ${app.tls.fingerprint} (${app.tls.summary})`);
    for (const listener of app.listeners) log.info(listenLine(listener));
    // SIGHUP re-reads the certificate files (renewals) without dropping connections.
    const tls = app.tls;
    const onHangup = () => void tls?.reload();
    if (tls) process.on('SIGHUP', onHangup);
    await new Promise<void>((resolve) => {
      const shutdown = (signal: string) => {
        log.info(`${signal} received, flushing and stopping`);
        app.stop().then(resolve, (err: unknown) => {
          log.error('stop failed', { error: err instanceof Error ? err.message : String(err) });
          resolve();
        });
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });
    process.off('SIGHUP', onHangup);
    log.info('stopped');
    return 0;
  },
};
