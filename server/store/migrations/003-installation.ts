import { randomBytes } from 'node:crypto';
import type { Migration } from './index';

/**
 * Installation-wide settings as key/value rows, and the installation id: a random name for this
 * server that stays when its port, host name or proxy changes. Approvers' desktop apps and the CLI
 * file their keychain identities under it, never under a URL.
 */
export const m003Installation: Migration = {
  version: 3,
  name: 'installation',
  up: `
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
  data: (db) => {
    db.prepare("INSERT INTO settings (key, value) VALUES ('installation_id', ?)").run(newInstallationId());
  },
};

/** `ins_` and 128 random bits in lower-case hex. */
export function newInstallationId(): string {
  return `ins_${randomBytes(16).toString('hex')}`;
}
