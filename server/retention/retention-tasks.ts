import type { RetentionTask } from './retention-task';
import { sealedLogRetention } from './sealed-log-retention';
import { personalDataRetention } from './privacy-retention';

/** Every retention task, run in this order by serve's scheduler and by `retention run`. */
export const RETENTION_TASKS: readonly RetentionTask[] = [sealedLogRetention, personalDataRetention];
