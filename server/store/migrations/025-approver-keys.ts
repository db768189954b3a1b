import type { Migration } from './index';

/** Approvers' public keys, key ceremonies (threshold per sealing key) and the encrypted key shares. */
export const m025ApproverKeys: Migration = {
  version: 25,
  name: 'approver-keys',
  up: `
CREATE TABLE approver_keys (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  public_key TEXT NOT NULL,          -- age X25519 recipient; the identity stays in the approver's OS keychain
  enrolled_at TEXT NOT NULL
);

CREATE TABLE key_ceremonies (
  key_id TEXT PRIMARY KEY,           -- the sealing key's id in the key ring
  recipient TEXT NOT NULL,           -- the master public key logs are sealed to; the private key was wiped
  threshold INTEGER NOT NULL,        -- k of k-of-n
  share_count INTEGER NOT NULL,      -- n
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE key_shares (
  key_id TEXT NOT NULL REFERENCES key_ceremonies(key_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,             -- no foreign key: a share outlives a disabled account
  roles TEXT NOT NULL,               -- JSON: the holder's approver roles at the ceremony
  approver_public_key TEXT NOT NULL,
  encrypted_share BLOB NOT NULL,     -- age file encrypted to approver_public_key; the server cannot read it
  share_hash TEXT NOT NULL,          -- SHA-256 of the plaintext share: a wrong share is refused on submission
  PRIMARY KEY (key_id, user_id)
);
CREATE INDEX key_shares_user ON key_shares(user_id);
`,
};
