// What `ce-setup://setup/…` serves: the three files of the bundled setup page, each with its
// content type and the setup page's CSP (common/csp.ts). Anything else is 404.
import { SETUP_CSP } from '../../common/csp';
import { SETUP_ORIGIN } from './setup-ipc';

/** The custom scheme of the setup page. */
export const SETUP_SCHEME = 'ce-setup';

const ASSETS: Record<string, string> = {
  '/index.html': 'text/html; charset=utf-8',
  '/setup.js': 'text/javascript; charset=utf-8',
  '/setup.css': 'text/css; charset=utf-8',
};

/** The file (relative to dist/electron/setup/) and headers for a request URL, or null (404). */
export function setupAsset(url: string): { file: string; headers: Record<string, string> } | null {
  if (!url.startsWith(`${SETUP_ORIGIN}/`)) return null;
  const rest = url.slice(SETUP_ORIGIN.length).split(/[?#]/)[0]!;
  const type = Object.hasOwn(ASSETS, rest) ? ASSETS[rest] : undefined;
  if (!type) return null;
  return {
    file: rest.slice(1),
    headers: {
      'content-type': type,
      'content-security-policy': SETUP_CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
  };
}
