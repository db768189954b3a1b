import type { Feature } from '../app-context';
import { getSealing } from '../sealing/sealing-service';
import { registerCaseRoutes } from './case-routes';
import { resetAfterRestart, sweep } from './case-service';
import { createCaseContext, type CaseSettings } from './case-state';

const SWEEP_INTERVAL_MS = 60_000;
const DAY_MS = 86_400_000;
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS };

/** Case settings from the environment: CREATIVE_ENGINE_CASE_TTL (e.g. 7d, 36h; at most 31d), CREATIVE_ENGINE_CASE_MAX_RECORDS. */
export function caseSettingsFromEnv(sealedDir: string, env: NodeJS.ProcessEnv = process.env): CaseSettings {
  const ttlText = env.CREATIVE_ENGINE_CASE_TTL ?? '7d';
  const m = /^(\d{1,6})([smhd])$/.exec(ttlText.trim());
  const ttlMs = m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
  if (!(ttlMs >= 60_000 && ttlMs <= 31 * DAY_MS)) {
    throw new Error(`CREATIVE_ENGINE_CASE_TTL must be a duration from 1m to 31d such as 7d or 36h, not "${ttlText}".`);
  }
  const maxText = env.CREATIVE_ENGINE_CASE_MAX_RECORDS ?? '500000';
  const maxRecords = /^\d{1,8}$/.test(maxText) ? Number(maxText) : NaN;
  if (!(maxRecords >= 1)) throw new Error(`CREATIVE_ENGINE_CASE_MAX_RECORDS must be a positive number, not "${maxText}".`);
  return { sealedDir, ttlMs, maxRecords };
}

/**
 * Unsealing cases. Case keys, received shares and unsealed records live only in this process's
 * memory; after a restart open cases start over (approvals reset, with a notice). Expired cases
 * are swept every minute.
 */
export const casesFeature: Feature = (ctx, { admin }) => {
  const sealing = getSealing(ctx);
  const c = createCaseContext({ db: ctx.db, audit: ctx.audit, log: ctx.log, now: () => ctx.now(), keys: sealing.keyRing, settings: caseSettingsFromEnv(sealing.sealedDir) });
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
};
