import cluster, { type Worker } from 'node:cluster';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../config';
import type { AppContext, DataChange } from '../app-context';
import type { StartedDelivery } from '../delivery/delivery-feature';
import type { Served } from '../delivery/delivery-service';
import { healthProblems, type HealthSources } from '../delivery/health';
import { HttpError } from '../http/http-error';
import { RECORD_FIELDS } from '../sealing/access-record';
import type { Sealer } from '../sealing/sealer';
import type { StatsService } from '../stats/stats-service';
import { DELIVERY_WORKER_BUNDLE, PRIMARY_SYNC_MS, type CampaignTotals, type PrimaryMessage, type WorkerConfig, type WorkerMessage } from './cluster-protocol';

/** The most delivery workers `serve --workers` starts (and the default's ceiling: the machine's cores). */
export const MAX_WORKERS = 16;
/** How long a clean stop waits for a worker's last batch before killing it. */
const STOP_WAIT_MS = 15_000;
/** A worker that dies within this long after starting counts as a crash loop: its replacement waits. */
const QUICK_DEATH_MS = 5_000;

/**
 * The delivery workers' bundle: next to the server bundle when running built; from the sources
 * (tests), the built one in dist/ (`npm run build` comes first).
 */
export function deliveryWorkerScript(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.js') ? path.join(path.dirname(here), DELIVERY_WORKER_BUNDLE) : path.join(packageRoot(), 'dist', 'server', DELIVERY_WORKER_BUNDLE);
}

/** What the primary gives its workers and takes from them. */
export interface WorkerSources {
  delivery: StartedDelivery;
  stats: StatsService;
  sealer: Sealer;
  health: HealthSources;
}

/** The running delivery workers: the address they share, and a clean stop that takes every worker's last batch. */
export interface DeliveryWorkers {
  address: { address: string; port: number; family: string };
  /** The workers' process ids (tests kill one to see it replaced). */
  pids(): number[];
  /** Access records each worker number has handed over so far (which workers served). */
  records(): Map<number, number>;
  /** Decisions the primary made for its workers: single placements, and the rests of pages, whose winner caps per visitor. */
  decidedForWorkers(): { single: number; pages: number };
  /** Asks every worker to reload the TLS pair from its files (SIGHUP). */
  reloadTls(): void;
  stop(): Promise<void>;
}

/**
 * A worker's young generation: V8's default (16 MiB semi-spaces, 33 MiB committed) is sized for a
 * process whose requests make garbage in bursts; a worker's decisions make a steady trickle, so 4 MiB
 * semi-spaces keep about 20 MiB less resident per worker at no CPU cost we could measure
 * (bench/workers.mjs). A semi-space size given to the primary is kept.
 */
export const WORKER_SEMI_SPACE_MB = 4;

/**
 * How far a worker's old generation may grow past what its last full collection kept, in per cent
 * (V8's --heap-growing-percent). V8's own factor goes up to 4 on a machine with gigabytes of
 * memory, and a worker builds its replica right after its first full collection: its heap then grew
 * to 100-150 MiB of mostly garbage before the next one. At 30 % (or V8's minimum step of 16 MiB) a
 * large-catalogue worker (45-50 MiB live) stays near 140 MiB resident instead of 160-210, with about
 * one more full collection per 10 s of load (bench/catalogue.mjs with BENCH_CATALOGUE_WORKERS=2 and
 * BENCH_TRACE_GC=1). No limit is set: a larger catalogue still fits.
 */
export const WORKER_HEAP_GROWING_PERCENT = 30;

/** The workers' Node flags: the primary's, plus the young generation's size and the old one's growth unless it sets them. */
export function workerExecArgv(primary: readonly string[]): string[] {
  const sets = (flag: string) => primary.some((a) => a.replace(/_/g, '-').startsWith(flag));
  return [
    ...primary,
    ...(sets('--max-semi-space-size') ? [] : [`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]),
    ...(sets('--heap-growing-percent') ? [] : [`--heap-growing-percent=${WORKER_HEAP_GROWING_PERCENT}`]),
  ];
}

/**
 * glibc's allocator in a worker: a fixed 128 KiB threshold for mmap and trimming. By default glibc
 * raises the mmap threshold after freeing a large block (up to 32 MiB), so the index build's and the
 * country table's large temporary buffers land in the heap and stay resident after they are freed;
 * with a fixed threshold a large-catalogue worker keeps about 17 MiB less (bench/catalogue.mjs).
 * Values the operator's environment sets are kept; other C libraries ignore these variables.
 */
export const WORKER_MALLOC_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

/** Variables a worker gets beyond the primary's environment (WORKER_MALLOC_ENV, unless set). */
export function workerEnv(primary: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(WORKER_MALLOC_ENV).filter(([k]) => primary[k] === undefined));
}

/**
 * Starts `count` delivery workers (node:cluster) that share the delivery port, and keeps them:
 * sends each the configuration, the token keys and every campaign's totals; forwards catalogue
 * changes and key rotations; takes their batches (served counts merged into the statistics,
 * impression/click/view claims counted once per decision, access records to the sealer); decides
 * for them the placements a per-visitor-capped campaign wins; replaces a worker that dies. `exec` is the workers' script
 * (deliveryWorkerScript()).
 */
export function startDeliveryWorkers(ctx: AppContext, sources: WorkerSources, options: { count: number; exec: string; debug?: boolean }): Promise<DeliveryWorkers> {
  const { delivery, stats, sealer } = sources;
  const { config, log } = ctx;
  const service = delivery.service;
  const workerConfig: WorkerConfig = {
    dataDir: config.dataDir, delivery: config.delivery, trustProxy: config.trustProxy, publicUrl: config.publicUrl, tls: config.tls,
    tlsFiles: config.tlsFiles, silent: config.silent, timeZone: stats.timeZone, geoipFile: config.geoipFile, reach: config.reach,
  };
  if (!fs.existsSync(options.exec)) return Promise.reject(new Error(`The delivery worker bundle is missing (${options.exec}); run npm run build.`));
  cluster.setupPrimary({ exec: options.exec, args: [], execArgv: workerExecArgv(process.execArgv), serialization: 'advanced', silent: false });

  /** Per worker: its number (kept by a replacement), the last batch applied, and when it started. */
  const state = new Map<Worker, { n: number; acked: number; startedAt: number; stopped: boolean }>();
  const lastSent = new Map<string, CampaignTotals>();
  const recordsBy = new Map<number, number>();
  const decidedFor = { single: 0, pages: 0 };
  let stopping = false;
  let address: DeliveryWorkers['address'] | null = null;
  const base = () => ctx.deliveryBaseUrl();

  const allTotals = (): CampaignTotals[] => {
    const out: CampaignTotals[] = [];
    for (const [id, c] of stats.counters.campaignTotals()) out.push([id, c.day, c.today, c.total, c.viewable, c.clicks]);
    return out;
  };
  const post = (w: Worker, m: PrimaryMessage) => {
    if (w.isConnected()) w.send(m);
  };
  const broadcast = (m: PrimaryMessage) => {
    for (const w of state.keys()) post(w, m);
  };

  const fork = (n: number) => {
    const w = cluster.fork(workerEnv(process.env));
    state.set(w, { n, acked: 0, startedAt: Date.now(), stopped: false });
    w.on('message', (m: WorkerMessage) => onMessage(w, m));
    w.on('error', (err) => log.warn('delivery worker channel error', { worker: n, error: err.message }));
    return w;
  };

  const onMessage = (w: Worker, m: WorkerMessage) => {
    const s = state.get(w);
    if (!s) return;
    switch (m.t) {
      case 'hello':
        post(w, {
          t: 'start', n: s.n, config: workerConfig, keys: delivery.tokenKeys(), totals: allTotals(), gateFull: sealer.bufferFull,
          problems: healthProblems(sources.health), debug: options.debug ?? false,
        });
        break;
      case 'batch': {
        if (m.deltas.length > 0) stats.counters.merge(m.deltas);
        for (const c of m.claims) {
          try {
            if (c.kind === 'impression') service.countImpression(c.claims, c.campaignId, base(), c.measurable, c.clientIp, c.userAgent);
            else if (c.kind === 'click') service.countClick(c.claims, c.campaignId, base());
            else service.countView(c.claims, c.campaignId, base());
          } catch (err) {
            log.error('counting a delivery worker claim failed', { error: err instanceof Error ? err.message : String(err) });
          }
        }
        const f = m.records;
        for (let i = 0; i + RECORD_FIELDS <= f.length; i += RECORD_FIELDS) {
          sealer.pushFields(f[i] as number, f[i + 1] as string, f[i + 2] as string, f[i + 3] as string, f[i + 4] as number, f[i + 5] as number, f[i + 6] as string | undefined, f[i + 7] as string | undefined);
        }
        recordsBy.set(s.n, (recordsBy.get(s.n) ?? 0) + f.length / RECORD_FIELDS);
        s.acked = m.seq;
        break;
      }
      case 'decide': {
        let reply: PrimaryMessage;
        try {
          const zones = service.index.current(base()).zones;
          const placements = m.placements.map((p) => {
            const zone = zones.get(p.zoneId);
            if (!zone) throw new HttpError(404, 'not_found', `No zone with the id ${p.zoneId}.`);
            return { zone, keywords: p.keywords };
          });
          let served: Array<Served | null>;
          if (m.exclude === undefined && placements.length === 1) {
            // A single decision the worker drew ignoring caps: that winner if the visitor may still see it, else a draw with the caps.
            const one = service.serve(placements[0]!.zone, placements[0]!.keywords, m.userAgent, base(), m.clientIp, m.preferred ?? null);
            if (one instanceof Promise) throw new Error('the primary decides in its own process');
            served = [one];
            decidedFor.single++;
          } else {
            // A page from the placement whose winner caps per visitor on, after what the worker already placed.
            const page = service.servePage(placements, m.exclude, m.userAgent, base(), m.clientIp, m.preferred ?? null);
            if (page instanceof Promise) throw new Error('the primary decides in its own process');
            served = page;
            decidedFor.pages++;
          }
          reply = { t: 'decided', id: m.id, served: served.map((x) => x && { creativeId: x.candidate.creativeId, token: x.token, decisionId: x.decisionId }) };
        } catch (err) {
          const status = err instanceof HttpError ? err.status : 503;
          reply = { t: 'decided', id: m.id, served: null, error: { status, message: err instanceof HttpError ? err.message : 'The placement could not be decided.' } };
        }
        post(w, reply);
        break;
      }
      case 'stopped':
        s.stopped = true;
        break;
    }
  };

  // Every PRIMARY_SYNC_MS: the totals that changed since the last sync, the sealed-log gate and health.
  const sync = setInterval(() => {
    const changed: CampaignTotals[] = [];
    for (const [id, c] of stats.counters.campaignTotals()) {
      const last = lastSent.get(id);
      if (last && last[1] === c.day && last[2] === c.today && last[3] === c.total && last[4] === c.viewable && last[5] === c.clicks) continue;
      const t: CampaignTotals = [id, c.day, c.today, c.total, c.viewable, c.clicks];
      lastSent.set(id, t);
      changed.push(t);
    }
    const gateFull = sealer.bufferFull;
    const problems = healthProblems(sources.health);
    for (const [w, s] of state) post(w, { t: 'sync', acked: s.acked, totals: changed, gateFull, problems });
  }, PRIMARY_SYNC_MS);

  const onDataChanged = (change: DataChange) => broadcast({ t: 'data-changed', change });
  const onKeys = () => broadcast({ t: 'keys', keys: delivery.tokenKeys() });
  ctx.events.on('data-changed', onDataChanged);
  ctx.events.on('token-keys-rotated', onKeys);

  // A worker that dies is replaced (after a pause when it died right after starting: no crash loop at full speed).
  let started = false;
  let failStart: (err: Error) => void = () => {};
  const onExit = (w: Worker, code: number, signal: string | null) => {
    const s = state.get(w);
    if (!s) return;
    state.delete(w);
    if (stopping) return;
    if (!started) return failStart(new Error(`delivery worker ${s.n} exited while starting (${signal ?? `code ${code}`}); see the lines above`));
    const quick = Date.now() - s.startedAt < QUICK_DEATH_MS;
    log.warn(`delivery worker ${s.n} exited (${signal ?? `code ${code}`}); starting a new one`, { worker: s.n });
    setTimeout(() => {
      if (!stopping) fork(s.n);
    }, quick ? 1_000 : 0).unref();
  };
  cluster.on('exit', onExit);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(sync);
    ctx.events.off('data-changed', onDataChanged);
    ctx.events.off('token-keys-rotated', onKeys);
    // Each worker closes its listener, finishes its requests, sends its last batch and 'stopped'.
    await Promise.all(
      [...state.keys()].map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            const timer = setTimeout(() => {
              log.warn('a delivery worker did not stop in time; killing it', { worker: state.get(w)?.n });
              w.process.kill('SIGKILL');
            }, STOP_WAIT_MS);
            w.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            post(w, { t: 'stop' });
          }),
      ),
    );
    cluster.off('exit', onExit);
  };

  return new Promise((resolve, reject) => {
    let listening = 0;
    const onListening = (_w: Worker, a: { address: string; port: number; addressType: number | string }) => {
      address ??= { address: a.address ?? config.delivery.host, port: a.port, family: a.addressType === 6 || a.addressType === 'udp6' ? 'IPv6' : 'IPv4' };
      if (++listening === options.count) {
        started = true;
        cluster.off('listening', onListening);
        clearTimeout(timer);
        resolve({
          address,
          pids: () => [...state.keys()].filter((w) => !w.isDead()).map((w) => w.process.pid!),
          records: () => new Map(recordsBy),
          decidedForWorkers: () => ({ ...decidedFor }),
          reloadTls: () => broadcast({ t: 'tls-reload' }),
          stop,
        });
      }
    };
    cluster.on('listening', onListening);
    failStart = (err) => {
      clearTimeout(timer);
      cluster.off('listening', onListening);
      void stop().then(() => reject(err));
    };
    const timer = setTimeout(() => failStart(new Error(`delivery workers did not start listening on ${config.delivery.host}:${config.delivery.port} within 30 s`)), 30_000);
    for (let n = 1; n <= options.count; n++) fork(n);
  });
}
