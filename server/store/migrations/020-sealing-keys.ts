import type { Migration } from './index';

/**
 * Keys access logs are sealed to. Only public recipients are stored: the server can seal but never
 * unseal. Exactly one key is current (retired_at IS NULL); retired keys stay listed for their logs.
 */
export const m020SealingKeys: Migration = {
  version: 20,
  name: 'sealing-keys',
  up: `
CREATE TABLE sealing_keys (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,           -- age X25519 recipient (age1…)
  kind TEXT NOT NULL CHECK (kind IN ('throwaway', 'ceremony')),
  created_at TEXT NOT NULL,          -- when sealing to it began
  retired_at TEXT                    -- when a newer key replaced it
);
CREATE UNIQUE INDEX sealing_keys_one_current ON sealing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;
`,
};
