import type { Migration } from './index';

/**
 * Competitive separation: campaigns sharing an exclusivity group (e.g. "cars") never appear
 * together on one page of a multi-placement decision (/v1/decision?zones=…, POST /v1/decisions).
 * NULL means none.
 */
export const m011ExclusivityGroup: Migration = {
  version: 11,
  name: 'exclusivity-group',
  up: `
ALTER TABLE campaigns ADD COLUMN exclusivity_group TEXT;
`,
};
