import type { AddressInfo } from 'node:net';
import { EventEmitter, type AppContext, type AppEvents } from '../app-context';
import type { ServerConfig } from '../config';
import { DailyVisitorKey } from '../delivery/daily-visitor-key';
import { deliveryGate } from '../delivery/delivery-gate';
import { registerDeliveryRoutes } from '../delivery/delivery-routes';
import { DeliveryService, IMPRESSION_TTL_HOURS, CLICK_TTL_HOURS, type PageExclude, type PrimaryLinks, type RemoteServed } from '../delivery/delivery-service';
import { registerHealthz, type HealthProblem } from '../delivery/health';
import { SeenDecisions } from '../delivery/seen-decisions';
import { SeenDecisionsRepo } from '../delivery/seen-decisions-repo';
import { TokenSigner, type TokenKeys } from '../delivery/tokens';
import { VisitorCaps, VisitorProbe } from '../delivery/visitor-caps';
import { ZoneIndex } from '../delivery/zone-index';
import { openCountryLookup } from '../geo/country-lookup';
import { createClientIpResolver } from '../http/client-ip';
import { HttpError } from '../http/http-error';
import { close, createListener, listen, urlOf } from '../http/listener';
import { Router } from '../http/router';
import { applyDeliveryHeaders } from '../http/security-headers';
import { createLogger, type Logger } from '../log/logger';
import { captureAccessRecord, RECORD_FIELDS } from '../sealing/access-record';
import { StatsCounters } from '../stats/stats-counters';
import { openReadOnlyDatabase } from '../store/database';
import { loadTlsPair } from '../tls/tls-files';
import { DayClock, LocalClock, operatorTimeZone } from '../../common/local-clock';
import { WORKER_BATCH_MS, WORKER_BATCH_RECORDS, type Claim, type PrimaryMessage, type WorkerMessage } from './cluster-protocol';
import { TotalsReplica } from './totals-replica';

/** How long a worker waits for the primary to decide a capped zone before answering 503. */
const DECIDE_TIMEOUT_MS = 5_000;
/** Batches sent but not yet written to the channel beyond which the worker refuses delivery (the primary cannot keep up). */
const MAX_UNSENT_BATCHES = 50;

const NO_PRIMARY = new HttpError(503, 'unavailable', 'The server cannot decide this placement right now. Try again later.', undefined, {
  'retry-after': '10',
  'cache-control': 'no-store',
});

/**
 * A delivery worker process (node:cluster; `serve --workers N`): serves the delivery routes on the
 * shared port from its own replica of the zone index, read from the store (read-only) and rebuilt
 * on every change the primary announces. It counts served decisions locally and hands them, the
 * verified impression/click/view tokens and the access records to the primary every
 * WORKER_BATCH_MS; the primary counts each decision's impression, click and view once, seals the
 * records and sends back every campaign's running totals, so daily caps and pacing see the whole
 * server. Zones with per-visitor caps are decided in the primary, which holds the caps' counts.
 * The worker holds no key that opens sealed logs and no data key.
 */
export async function runDeliveryWorker(): Promise<void> {
  const send = (m: WorkerMessage, done?: () => void) => process.send!(m, undefined, undefined, done ? () => done() : undefined);
  const start = await new Promise<Extract<PrimaryMessage, { t: 'start' }>>((resolve) => {
    const onStart = (m: PrimaryMessage) => {
      if (m.t !== 'start') return;
      process.off('message', onStart);
      resolve(m);
    };
    process.on('message', onStart);
    send({ t: 'hello' });
  });
  const worker = new DeliveryWorker(start, send);
  await worker.listen();
}

class DeliveryWorker {
  private readonly log: Logger;
  private readonly ctx: AppContext;
  private readonly counters: StatsCounters;
  private readonly signer: TokenSigner;
  private readonly server;
  private readonly router = new Router<unknown>();
  private readonly config: Extract<PrimaryMessage, { t: 'start' }>['config'];
  private baseUrl = '';
  private readonly index: ZoneIndex;
  private gateFull = false;
  private problems: HealthProblem[];
  // Batching towards the primary.
  private seq = 0;
  private claims: Claim[] = [];
  /** Access records waiting for the next batch, RECORD_FIELDS values each (as the sealer takes them). */
  private records: Array<string | number | undefined> = [];
  private unsent = 0;
  private readonly batchTimer: NodeJS.Timeout;
  private readonly totals: TotalsReplica;
  // Capped decisions asked of the primary.
  private nextDecision = 1;
  private readonly decisions = new Map<number, { resolve: (s: Array<RemoteServed | null>) => void; reject: (e: unknown) => void; timer: NodeJS.Timeout }>();
  private stopping = false;

  constructor(
    start: Extract<PrimaryMessage, { t: 'start' }>,
    private readonly send: (m: WorkerMessage, done?: () => void) => void,
  ) {
    this.config = start.config;
    const config = start.config;
    this.log = createLogger({ silent: config.silent, debug: start.debug });
    this.problems = start.problems;
    this.gateFull = start.gateFull;
    const db = openReadOnlyDatabase(config.dataDir);
    const stopHooks: Array<() => void> = [];
    const events = new EventEmitter<AppEvents>();
    this.ctx = {
      config: config as ServerConfig,
      db,
      log: this.log,
      // A worker writes nothing to the store: the audit log is the primary's.
      get audit(): never {
        throw new Error('a delivery worker has no audit log');
      },
      now: () => new Date(),
      events,
      onStop: (fn) => void stopHooks.push(fn as () => void),
      deliveryBaseUrl: () => this.baseUrl,
      portalBaseUrl: () => '',
    };
    const timeZone = operatorTimeZone(config.timeZone, () => {});
    this.counters = new StatsCounters(new DayClock(timeZone));
    this.totals = new TotalsReplica(this.counters);
    this.totals.apply(start.totals, 0);
    this.signer = new TokenSigner(keysOf(start.keys));
    // With a public URL the replica is built before the worker listens; otherwise once it knows its address (listen).
    this.baseUrl = config.publicUrl ?? '';
    const index = (this.index = new ZoneIndex(this.ctx, this.counters));
    const geo = openCountryLookup(config.geoipFile);
    // Counting happens in the primary: these sets stay empty (the constructor needs them).
    const seenRepo = new SeenDecisionsRepo(db);
    const nowMs = () => Date.now();
    const seen = {
      impressions: new SeenDecisions(seenRepo, 0, IMPRESSION_TTL_HOURS, nowMs),
      clicks: new SeenDecisions(seenRepo, 1, CLICK_TTL_HOURS, nowMs),
      views: new SeenDecisions(seenRepo, 2, IMPRESSION_TTL_HOURS, nowMs),
    };
    const links: PrimaryLinks = {
      claim: (kind, claims, campaignId, measurable, clientIp, userAgent) => {
        this.claims.push({ kind, claims, campaignId, measurable, clientIp, userAgent });
      },
      decide: (placements, exclude, userAgent, clientIp, preferred) => this.decideInPrimary(placements, exclude, userAgent, clientIp, preferred),
    };
    const service = new DeliveryService(
      this.ctx, { counters: this.counters }, index, this.signer, new LocalClock(timeZone), seen, geo.lookup,
      new VisitorProbe(new DailyVisitorKey(this.counters.days), new VisitorCaps()), null, links,
    );
    registerDeliveryRoutes(this.ctx, this.router, service);
    registerHealthz(this.router, () => this.problems);
    const clientIp = createClientIpResolver(config.trustProxy);
    const gate = deliveryGate({ bufferFull: false });
    const refuse = deliveryGate({ bufferFull: true });
    this.server = createListener<unknown>({
      name: 'delivery',
      router: this.router,
      log: this.log,
      applyHeaders: (res) => applyDeliveryHeaders(res, config.tls),
      createState: (req) => (this.gateFull || this.unsent > MAX_UNSENT_BATCHES ? refuse(req) : gate(req)),
      onFinish: (req, res, peer) => {
        captureAccessRecord(req, res, clientIp, Date.now(), peer, this);
        if (this.records.length >= WORKER_BATCH_RECORDS * RECORD_FIELDS) this.sendBatch();
      },
      tls: config.tlsFiles ? loadTlsPair(config.tlsFiles) : undefined,
    });
    this.batchTimer = setInterval(() => this.sendBatch(), WORKER_BATCH_MS);
    process.on('message', (m: PrimaryMessage) => this.onMessage(m, events));
    // A terminal's Ctrl-C reaches the whole process group: the primary decides when workers stop.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => {});
    // The primary is gone (killed): stop serving, nothing could be counted or sealed any more.
    process.on('disconnect', () => {
      if (!this.stopping) process.exit(1);
    });
    this.stopHooks = stopHooks;
  }

  private readonly stopHooks: Array<() => void>;

  async listen(): Promise<void> {
    const bound: AddressInfo = await listen(this.server, this.config.delivery.port, this.config.delivery.host);
    this.baseUrl = this.config.publicUrl ?? urlOf(bound, this.config.tls ? 'https' : 'http');
    // The replica's first build waited for the address (ZoneIndex): made now, not by the first request.
    this.index.current(this.baseUrl);
  }

  private onMessage(m: PrimaryMessage, events: EventEmitter<AppEvents>): void {
    switch (m.t) {
      case 'data-changed':
        events.emit('data-changed', m.change);
        break;
      case 'keys':
        this.signer.setKeys(keysOf(m.keys));
        break;
      case 'sync':
        this.totals.apply(m.totals, m.acked);
        this.gateFull = m.gateFull;
        this.problems = m.problems;
        break;
      case 'decided': {
        const pending = this.decisions.get(m.id);
        if (!pending) break;
        this.decisions.delete(m.id);
        clearTimeout(pending.timer);
        if (m.served) pending.resolve(m.served);
        else pending.reject(new HttpError(m.error?.status ?? 503, m.error?.status === 404 ? 'not_found' : 'unavailable', m.error?.message ?? NO_PRIMARY.message));
        break;
      }
      case 'tls-reload':
        if (this.config.tlsFiles && 'setSecureContext' in this.server) {
          try {
            const pair = loadTlsPair(this.config.tlsFiles);
            this.server.setSecureContext({ cert: pair.cert, key: pair.key });
          } catch (err) {
            this.log.error(`TLS reload failed in a delivery worker: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        break;
      case 'stop':
        void this.stop();
        break;
      case 'start':
        break;
    }
  }

  /** The access-record sink of captureAccessRecord: the fields go into the next batch. */
  pushFields(t: number, ip: string, method: string, url: string, status: number, bytes: number, referrer: string | undefined, userAgent: string | undefined): void {
    this.records.push(t, ip, method, url, status, bytes, referrer, userAgent);
  }

  /** Hands counts, claims and access records to the primary; remembers the served counts until the primary's totals include them. */
  private sendBatch(done?: () => void): void {
    const deltas = this.counters.dirty ? this.counters.drain() : [];
    if (deltas.length === 0 && this.claims.length === 0 && this.records.length === 0) {
      done?.();
      return;
    }
    const seq = ++this.seq;
    this.totals.sent(seq, deltas);
    const message: WorkerMessage = { t: 'batch', seq, deltas, claims: this.claims, records: this.records };
    this.claims = [];
    this.records = [];
    this.unsent++;
    this.send(message, () => {
      this.unsent--;
      done?.();
    });
  }

  private decideInPrimary(
    placements: ReadonlyArray<{ zoneId: string; keywords: readonly string[] | null }>,
    exclude: PageExclude | undefined,
    userAgent: string | undefined,
    clientIp: string,
    preferred?: string,
  ): Promise<Array<RemoteServed | null>> {
    if (this.stopping) return Promise.reject(NO_PRIMARY);
    const id = this.nextDecision++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.decisions.delete(id);
        reject(NO_PRIMARY);
      }, DECIDE_TIMEOUT_MS);
      this.decisions.set(id, { resolve, reject, timer });
      this.send({ t: 'decide', id, placements: [...placements], exclude, userAgent, clientIp, preferred });
    });
  }

  /** Stops accepting, lets requests in flight finish, sends the last batch and says so; the primary then lets it exit. */
  private async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await close(this.server);
    clearInterval(this.batchTimer);
    for (const hook of this.stopHooks.reverse()) hook();
    this.signer.wipe();
    await new Promise<void>((resolve) => this.sendBatch(resolve));
    this.send({ t: 'stopped' }, () => {
      this.ctx.db.close();
      process.disconnect();
      // Nothing should be left to keep the process up; if something is, it must not outlive the primary's wait.
      setTimeout(() => process.exit(0), 1_000).unref();
    });
  }
}

/** Keys over IPC arrive as Uint8Arrays: the signer wants Buffers. */
const keysOf = (k: TokenKeys): TokenKeys => ({ current: Buffer.from(k.current), previous: k.previous ? Buffer.from(k.previous) : null });
