import type { AuditLog } from '../audit/audit-log';
import type { ServerConfig } from '../config';
import type { Logger } from '../log/logger';
import type { Db } from '../store/database';

/** What a retention task may use; the same in `serve` and in `retention run`. */
export interface RetentionEnv {
  db: Db;
  config: ServerConfig;
  log: Logger;
  audit: AuditLog;
  /** Who runs it: `system` (the scheduler in serve) or `cli`. */
  actor: 'system' | 'cli';
  /** Called after customers were erased (serve: the delivery index drops them). */
  onCustomersErased?: () => void;
}

/** What one task deleted. */
export interface RetentionOutcome {
  /** Merged into the `retention.run` audit entry: counts and ids only, never personal data; keys unique per task. */
  details: Record<string, unknown>;
  /** Human-readable lines `retention run` prints (and serve logs). */
  lines: string[];
}

/**
 * One kind of data with a retention period. Add new ones to RETENTION_TASKS (retention-tasks.ts);
 * the scheduler in serve and `retention run` then run them, and each run is audited once.
 */
export interface RetentionTask {
  name: string;
  /** Deletes what may no longer be kept at `now`. Throwing marks the task failed; the others still run. */
  run(env: RetentionEnv, now: Date): RetentionOutcome | Promise<RetentionOutcome>;
  /** The next instant something becomes due after `now`, if known (serve wakes up then, not just hourly). */
  nextDue?(env: RetentionEnv, now: Date): Date | null;
}
