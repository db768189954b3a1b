import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/http-error';
import type { Sealer } from '../sealing/sealer';

/** Seconds a client is asked to wait while delivery is refused. */
const RETRY_AFTER_SECONDS = 10;

// One instance, thrown for every refused request: no allocation per request while refusing.
const SEALED_LOG_FULL = new HttpError(
  503, 'unavailable', 'The server cannot record requests right now and serves no ads until it can. Try again later.',
  undefined, { 'retry-after': String(RETRY_AFTER_SECONDS), 'cache-control': 'no-store' },
);

const isHealthz = (url: string | undefined) => url !== undefined && /^\/healthz(?:[/?]|$)/.test(url);

/**
 * The delivery listener's per-request state: refuses every delivery route with 503 (Retry-After)
 * while the sealed-log buffer is full, so no ad is served without its access record (an audit
 * device blocks rather than serve unaudited). /healthz stays reachable. Healthy, it costs one field read.
 */
export function deliveryGate(sealer: Pick<Sealer, 'bufferFull'>): (req: IncomingMessage) => undefined {
  return (req) => {
    if (sealer.bufferFull && !isHealthz(req.url)) throw SEALED_LOG_FULL;
    return undefined;
  };
}
