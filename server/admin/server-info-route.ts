import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerInfo } from '../../common/schemas/server-info';
import { packageRoot } from '../config';
import type { Router } from '../http/router';
import type { SettingsRepo } from '../store/settings-repo';
import { adminRoute, type AdminState } from './admin-route';

/** The package's version, read once from package.json beside the bundle (or the sources). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * GET /api/server-info, without a session: the installation id, name and version. Desktop apps and
 * the approver CLI file keychain identities under the id, so a new port or host name orphans nothing.
 */
export function registerServerInfoRoute(admin: Router<AdminState>, settings: SettingsRepo): void {
  const version = packageVersion();
  adminRoute(admin, 'GET /api/server-info', (): ServerInfo => ({ installationId: settings.get('installation_id'), name: settings.get('name'), version }));
}
