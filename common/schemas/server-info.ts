/** Answer of GET /api/server-info (no session needed): who this server is. */
export interface ServerInfo {
  /** Stable random id of the installation (`ins_` + 32 hex digits); keychain entries are filed under it. */
  installationId: string;
  /** The installation's display name. */
  name: string;
  /** The server's version (package.json). */
  version: string;
}

/** Whether `value` looks like an installation id. */
export function isInstallationId(value: unknown): value is string {
  return typeof value === 'string' && /^ins_[0-9a-f]{32}$/.test(value);
}
