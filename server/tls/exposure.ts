// Which hosts count as "this computer only", and the rule that the admin API leaves it only under TLS.
import { isIP } from 'node:net';

/** The admin listener would leave this computer without TLS: `serve` stops with this one line. */
export class AdminExposureError extends Error {
  override name = 'AdminExposureError';
}

/** Whether binding `host` keeps a listener reachable from this computer only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped !== null && mapped[1]!.startsWith('127.');
}

/**
 * Null when the admin listener may bind `host`; otherwise the one-line reason. Beyond loopback it needs
 * HTTPS: native (--tls-cert/--tls-key) or the declared TLS proxy mode (--tls).
 */
export function adminExposureProblem(host: string, clientsUseHttps: boolean): string | null {
  if (clientsUseHttps || isLoopbackHost(host)) return null;
  return `refusing to serve the admin API on ${host} without TLS: passwords and session cookies would cross the network in clear text. Use --tls-cert FILE --tls-key FILE (native HTTPS), or --tls behind a TLS proxy, or keep --admin-host 127.0.0.1.`;
}

/**
 * Null when the portal listener may bind `host`; otherwise the one-line reason. It carries customers'
 * passwords and personal data, so beyond loopback it needs HTTPS like the admin API.
 */
export function portalExposureProblem(host: string, clientsUseHttps: boolean): string | null {
  if (clientsUseHttps || isLoopbackHost(host)) return null;
  return `refusing to serve the customer portal on ${host} without TLS: customers' passwords and personal data would cross the network in clear text. Use --tls-cert FILE --tls-key FILE (native HTTPS), or --tls behind a TLS proxy, or --portal-host 127.0.0.1, or --no-portal.`;
}
