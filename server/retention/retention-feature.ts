import type { AppContext } from '../app-context';
import { validateSealedRetention } from './retention-period';
import { nextRetentionDue, runRetention } from './retention-runner';
import type { RetentionEnv } from './retention-task';

/** The scheduler runs at least this often, and also exactly when something becomes due. */
const RUN_EVERY_MS = 60 * 60 * 1000;
const MIN_DELAY_MS = 1_000;

/**
 * Retention in `serve`: refuses a sealed-log retention longer than the policy at start-up, runs
 * every retention task at start, then hourly and at the exact instant the next month falls due
 * (timer unref'd). Each run is audited with actor `system`; `onCustomersErased` follows erasures.
 */
export async function startRetention(ctx: AppContext, onCustomersErased: () => void): Promise<void> {
  validateSealedRetention(ctx.config.sealing.retention);
  const env: RetentionEnv = { db: ctx.db, config: ctx.config, log: ctx.log, audit: ctx.audit, actor: 'system', onCustomersErased };
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const runOnce = async () => {
    try {
      const result = await runRetention(env, ctx.now());
      for (const line of result.lines) ctx.log.info(`retention: ${line}`);
    } catch (err) {
      ctx.log.error('retention run failed', { error: err instanceof Error ? err.message : String(err) });
    }
  };
  const schedule = () => {
    if (stopped) return;
    const now = ctx.now();
    const due = nextRetentionDue(env, now);
    const delay = Math.max(MIN_DELAY_MS, Math.min(RUN_EVERY_MS, due ? due.getTime() - now.getTime() : RUN_EVERY_MS));
    timer = setTimeout(() => {
      running = runOnce().finally(() => {
        running = null;
        schedule();
      });
    }, delay).unref();
  };

  await runOnce();
  schedule();
  ctx.onStop(async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  });
}
