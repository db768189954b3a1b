import { startApp } from '../app';
import { resolveConfig } from '../config';
import { createLogger } from '../log/logger';
import { parseSealedRetentionFlags, RetentionConfigError } from '../retention/retention-period';
import { PRIVACY_FLAGS, PRIVACY_USAGE, privacyOptionsFromFlags } from '../privacy/privacy-flags';
import { parseFlags, parsePort, parsePublicOrigin, UsageError, type Command } from './args';

/** `serve`: runs both listeners until SIGINT/SIGTERM, then flushes and exits. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the delivery and admin listeners',
  usage:
    'serve [--data DIR] [--sealed-dir DIR] [--delivery-port N] [--delivery-host H] [--admin-port N] [--admin-host H] [--trust-proxy CIDR,…] [--public-url URL] [--tls] [--sealed-retention-months 1-3 | --sealed-retention-days 0-89] [--seal-buffer-mb N] [--seal-buffer-records N] [--log-debug] ' +
    PRIVACY_USAGE,
  async run(argv) {
    const f = parseFlags(argv, {
      data: { type: 'string' },
      'sealed-dir': { type: 'string' },
      'delivery-port': { type: 'string' },
      'delivery-host': { type: 'string' },
      'admin-port': { type: 'string' },
      'admin-host': { type: 'string' },
      'trust-proxy': { type: 'string' },
      'public-url': { type: 'string' },
      'console-dir': { type: 'string' },
      tls: { type: 'boolean' },
      'log-debug': { type: 'boolean' },
      'sealed-retention-months': { type: 'string' },
      'sealed-retention-days': { type: 'string' },
      'seal-buffer-mb': { type: 'string' },
      'seal-buffer-records': { type: 'string' },
      ...PRIVACY_FLAGS,
    });
    let sealedRetention;
    try {
      sealedRetention = parseSealedRetentionFlags(f['sealed-retention-months'], f['sealed-retention-days']);
    } catch (err) {
      throw err instanceof RetentionConfigError ? new UsageError(err.message) : err;
    }
    const publicUrl = f['public-url'] === undefined ? undefined : parsePublicOrigin(f['public-url'], '--public-url');
    const dataDir = f.data ?? process.env.CREATIVE_ENGINE_DATA ?? 'data';
    const config = resolveConfig({
      dataDir,
      sealedDir: f['sealed-dir'],
      delivery: { host: f['delivery-host'] ?? '0.0.0.0', port: parsePort(f['delivery-port'], '--delivery-port', 8080) },
      admin: { host: f['admin-host'] ?? '127.0.0.1', port: parsePort(f['admin-port'], '--admin-port', 8081) },
      trustProxy: f['trust-proxy'] ? f['trust-proxy'].split(',').map((s) => s.trim()).filter(Boolean) : [],
      publicUrl,
      consoleDir: f['console-dir'],
      tls: f.tls ?? false,
      sealedRetention,
      sealBuffer: {
        bytes: positiveInt(f['seal-buffer-mb'], '--seal-buffer-mb', 1 << 20) ?? undefined,
        records: positiveInt(f['seal-buffer-records'], '--seal-buffer-records', 1) ?? undefined,
      },
      privacy: privacyOptionsFromFlags(f, dataDir),
    });
    // Debug lines note harmless events (clients that went away); never personal data.
    const log = createLogger({ debug: f['log-debug'] ?? false });
    const app = await startApp(config, { log });
    log.info(`delivery listening on ${app.deliveryUrl}`);
    log.info(`console and admin API on ${app.adminUrl}/`);
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
    log.info('stopped');
    return 0;
  },
};

/** A whole number ≥ 1 (at most 2^31) times `unit`, or null when the flag is absent. */
function positiveInt(value: string | undefined, name: string, unit: number): number | null {
  if (value === undefined) return null;
  if (!/^\d{1,10}$/.test(value) || Number(value) < 1 || Number(value) > 2 ** 31) throw new UsageError(`${name} must be a whole number of at least 1, not "${value}".`);
  return Number(value) * unit;
}
