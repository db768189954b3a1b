import type { AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import type { Router } from '../http/router';
import type { KeyRing } from '../sealing/key-ring';
import { registerCaseRoutes } from './case-routes';
import { resetAfterRestart, sweep } from './case-service';
import { createCaseContext, type CaseContext, type CaseSettings } from './case-state';

const SWEEP_INTERVAL_MS = 60_000;

/**
 * Unsealing cases. Case keys, received shares and unsealed records live only in this process's
 * memory; after a restart open cases start over (approvals reset, with a notice). Expired cases
 * are swept every minute.
 */
export function startCases(ctx: AppContext, admin: Router<AdminState>, deps: { keyRing: KeyRing; settings: CaseSettings; staffName: CaseContext['staffName'] }): void {
  const c = createCaseContext({ db: ctx.db, audit: ctx.audit, log: ctx.log, now: () => ctx.now(), keys: deps.keyRing, settings: deps.settings, staffName: deps.staffName });
  const reset = resetAfterRestart(c);
  if (reset > 0) ctx.log.warn('open cases lost their in-memory case keys at restart; approvals were reset', { cases: reset });
  registerCaseRoutes(c, admin);
  const timer = setInterval(() => {
    try {
      sweep(c);
    } catch (err) {
      ctx.log.error('case expiry sweep failed', { error: err instanceof Error ? err.message : String(err) });
    }
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  ctx.onStop(() => {
    clearInterval(timer);
    for (const id of [...c.runtimes.keys()]) c.runtimes.get(id)!.cancelled = true;
  });
}
