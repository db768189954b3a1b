import type { IncomingMessage, ServerResponse } from 'node:http';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { createClientIpResolver } from '../http/client-ip';
import type { Router } from '../http/router';
import { captureAccessRecord } from './access-record';
import { KeyRing, THROWAWAY_WARNING } from './key-ring';
import { Sealer } from './sealer';
import type { SealingService } from './sealing-service';

/**
 * Sealed access logs: every delivery request leaves an access record that is batched, encrypted
 * to the key ring's current public key by the seal worker thread, and appended to
 * `<sealedDir>/YYYY-MM/*.seal`. The last batch is flushed at shutdown, after the listeners closed.
 */
export async function startSealing(ctx: AppContext, admin: Router<AdminState>): Promise<SealingService> {
  const keyRing = new KeyRing(ctx.db, () => ctx.now());
  const key = keyRing.ensureCurrent();
  if (key.kind === 'throwaway') ctx.log.warn(THROWAWAY_WARNING);

  let sealer: Sealer;
  try {
    sealer = await Sealer.start({
      sealedDir: ctx.config.sealing.dir, key, log: ctx.log,
      maxPendingBytes: ctx.config.sealing.buffer?.bytes, maxPendingRecords: ctx.config.sealing.buffer?.records,
    });
  } catch (err) {
    throw new Error(`Cannot write sealed logs to ${ctx.config.sealing.dir}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  keyRing.onActivate((next) => {
    sealer.useKey(next);
    ctx.log.info('sealing access logs to a new key', { keyId: next.id, kind: next.kind });
  });

  // Stop hooks run after both listeners have closed; let the last responses' close events fire first.
  ctx.onStop(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    await sealer.close();
    const s = sealer.stats();
    if (s.droppedRecords > 0 || s.failedRecords > 0) {
      ctx.log.warn('sealed log writer lost access records', { dropped: s.droppedRecords, failed: s.failedRecords });
    }
  });

  adminRoute(admin, 'GET /api/keys/status', () => {
    const s = sealer.stats();
    return { ...keyRing.status(), recordsSealed: s.recordsSealed, pendingRecords: s.pendingRecords, droppedRecords: s.droppedRecords, failedRecords: s.failedRecords };
  });
  return { keyRing, sealer, sealedDir: ctx.config.sealing.dir };
}

/** The delivery listener's finish hook: hands the sealer one access record per response. */
export function accessRecorder(ctx: AppContext, sealer: Sealer): (req: IncomingMessage, res: ServerResponse, peer: string) => void {
  const clientIp = createClientIpResolver(ctx.config.trustProxy);
  return (req, res, peer) => captureAccessRecord(req, res, clientIp, ctx.now().getTime(), peer, sealer);
}
