import { ref } from 'vue';
import { DEFAULT_TIME_ZONE } from '../../../common/local-time';
import type { ConsoleConfig } from '../../../common/schemas/console-config';
import { apiGet } from '../api/client';

/**
 * The operator time zone the server counts days in (GET /api/config): the console shows times and
 * dates in it, not in the browser's zone, so "today" on screen is the server's today.
 */
export const operatorTimeZone = ref(DEFAULT_TIME_ZONE);

let loading: Promise<void> | null = null;

/** Loads the zone once per page (again after a failure). */
export function loadOperatorTimeZone(): Promise<void> {
  loading ??= apiGet<ConsoleConfig>('/api/config').then(
    (c) => void (operatorTimeZone.value = c.timeZone || DEFAULT_TIME_ZONE),
    () => void (loading = null),
  );
  return loading;
}
