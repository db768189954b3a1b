import type { RetentionEnv, RetentionTask } from './retention-task';
import { RETENTION_TASKS } from './retention-tasks';

/** The result of one retention run over all tasks. */
export interface RetentionRunResult {
  details: Record<string, unknown>;
  lines: string[];
  /** Tasks that threw (named in the audit entry; their error only in the log). */
  failed: string[];
}

/**
 * Runs every retention task at `now` and records one `retention.run` audit entry with what was
 * deleted (e.g. `{deletedMonths, files, bytes}` for sealed logs) and which tasks failed.
 */
export async function runRetention(env: RetentionEnv, now: Date, tasks: readonly RetentionTask[] = RETENTION_TASKS): Promise<RetentionRunResult> {
  const result: RetentionRunResult = { details: {}, lines: [], failed: [] };
  for (const task of tasks) {
    try {
      const outcome = await task.run(env, now);
      Object.assign(result.details, outcome.details);
      result.lines.push(...outcome.lines);
    } catch (err) {
      result.failed.push(task.name);
      env.log.error('retention task failed', { task: task.name, error: err instanceof Error ? err.message : String(err) });
    }
  }
  env.audit.append({
    actor: env.actor,
    action: 'retention.run',
    details: { ...result.details, now: now.toISOString(), ...(result.failed.length ? { failedTasks: result.failed } : {}) },
  });
  return result;
}

/** The earliest instant any task says something becomes due, if any. */
export function nextRetentionDue(env: RetentionEnv, now: Date, tasks: readonly RetentionTask[] = RETENTION_TASKS): Date | null {
  let next: Date | null = null;
  for (const task of tasks) {
    try {
      const due = task.nextDue?.(env, now) ?? null;
      if (due && (!next || due < next)) next = due;
    } catch {
      // an unknown due time only means the hourly run catches it
    }
  }
  return next;
}
