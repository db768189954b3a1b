import type { Routers } from '../app-context';
import type { Sealer } from '../sealing/sealer';
import type { StatsService } from '../stats/stats-service';

/** What the health check looks at. */
export interface HealthSources {
  sealer: Pick<Sealer, 'stats'>;
  stats: Pick<StatsService, 'flushStatus'>;
}

/** One reason the server is not healthy, as /healthz names it: codes and fixed text, never paths or record contents. */
export interface HealthProblem {
  component: 'sealed-log' | 'statistics';
  code: string;
  message: string;
  /** When it started (ISO 8601), where known. */
  since?: string;
}

const KEPT = 'Access records are kept in memory and retried.';
/** Disk errors of the sealed-log writer (errno) → problem code and text. */
const SEAL_ERRORS: Readonly<Record<string, readonly [string, string]>> = {
  ENOSPC: ['disk_full', `The sealed-log volume is full. ${KEPT}`],
  EDQUOT: ['quota_exceeded', `The disk quota of the sealed-log volume is used up. ${KEPT}`],
  EIO: ['io_error', `The sealed-log volume reports I/O errors. ${KEPT}`],
  EROFS: ['read_only', `The sealed-log volume is read-only. ${KEPT}`],
  EACCES: ['permission_denied', `The server may not write to the sealed-log directory. ${KEPT}`],
  EPERM: ['permission_denied', `The server may not write to the sealed-log directory. ${KEPT}`],
};

const COUNTS_KEPT = 'Counts are kept in memory and retried.';
/** SQLite error codes (by prefix) of a failing statistics flush → problem code and text. */
const STATS_ERRORS: ReadonlyArray<readonly [string, string, string]> = [
  ['SQLITE_FULL', 'disk_full', `The statistics database's disk is full. ${COUNTS_KEPT}`],
  ['SQLITE_IOERR', 'io_error', `The statistics database reports I/O errors. ${COUNTS_KEPT}`],
  ['SQLITE_BUSY', 'busy', `The statistics database is busy. ${COUNTS_KEPT}`],
  ['SQLITE_LOCKED', 'busy', `The statistics database is locked. ${COUNTS_KEPT}`],
  ['SQLITE_READONLY', 'read_only', `The statistics database is read-only. ${COUNTS_KEPT}`],
];

/** What keeps the server from working as designed right now; empty when healthy. */
export function healthProblems({ sealer, stats }: HealthSources): HealthProblem[] {
  const problems: HealthProblem[] = [];
  const s = sealer.stats();
  if (s.writeError) {
    const [code, message] = SEAL_ERRORS[s.writeError.code] ?? ['write_failed', `Sealed logs cannot be written (${s.writeError.code}). ${KEPT}`];
    problems.push({ component: 'sealed-log', code, message, since: new Date(s.writeError.since).toISOString() });
  }
  if (s.writerDown) {
    problems.push({ component: 'sealed-log', code: 'writer_down', message: `The sealed-log writer stopped and is being restarted. ${KEPT}` });
  }
  if (s.bufferFull) {
    problems.push({ component: 'sealed-log', code: 'buffer_full', message: 'The memory buffer for access records is full: delivery answers 503 until they are written.' });
  }
  const flush = stats.flushStatus();
  if (flush.error) {
    const known = STATS_ERRORS.find(([prefix]) => flush.error!.code.startsWith(prefix));
    const [code, message] = known ? [known[1], known[2]] : ['flush_failed', `Statistics cannot be written (${flush.error.code}). ${COUNTS_KEPT}`];
    problems.push({ component: 'statistics', code, message, since: new Date(flush.error.since).toISOString() });
  }
  return problems;
}

/**
 * GET and HEAD /healthz on the delivery listener (for load balancers): 200 `ok` when healthy, else
 * 503 with `{status:"degraded", problems:[…]}` so traffic moves elsewhere. /api/health on the admin one.
 */
export function registerHealthRoutes({ delivery, admin }: Pick<Routers, 'delivery' | 'admin'>, sources: HealthSources): void {
  registerHealthz(delivery, () => healthProblems(sources));
  admin.get('/api/health', () => {
    const problems = healthProblems(sources);
    return problems.length === 0 ? { ok: true } : { ok: false, problems };
  });
}

/** GET and HEAD /healthz from a source of problems (a delivery worker's are the primary's, sent to it). */
export function registerHealthz(delivery: Routers['delivery'], problemsNow: () => readonly HealthProblem[]): void {
  delivery.on(['GET', 'HEAD'], '/healthz', ({ res }) => {
    res.setHeader('cache-control', 'no-store');
    const problems = problemsNow();
    // HEAD: node:http sends the status and headers (content-length included) and drops the body.
    if (problems.length === 0) {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.setHeader('content-length', 2);
      res.end('ok');
      return;
    }
    const body = JSON.stringify({ status: 'degraded', problems });
    res.statusCode = 503;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('content-length', Buffer.byteLength(body));
    res.end(body);
  });
}
