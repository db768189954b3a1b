import { originOf } from './window-options';

/** Longest link handed to the system browser. */
export const MAX_EXTERNAL_URL = 2048;

/** What to do with a navigation of the console window. */
export type NavigationDecision =
  | { action: 'allow' }
  | { action: 'open-external'; url: string }
  | { action: 'block'; reason: string };

/** Outcome of checking a link before it goes to the system browser. */
export type ExternalLinkCheck = { ok: true; url: string } | { ok: false; reason: string };

/** The console window stays on the admin origin; an acceptable external link goes to the system browser instead. */
export function navigationDecision(url: string, adminOrigin: string): NavigationDecision {
  if (originOf(url) === adminOrigin) return { action: 'allow' };
  const check = checkExternalLink(url, adminOrigin);
  return check.ok ? { action: 'open-external', url: check.url } : { action: 'block', reason: check.reason };
}

/** New windows are never created; `window.open` of an acceptable external link opens the system browser. */
export function windowOpenDecision(url: string, adminOrigin: string): Exclude<NavigationDecision, { action: 'allow' }> {
  const check = checkExternalLink(url, adminOrigin);
  return check.ok ? { action: 'open-external', url: check.url } : { action: 'block', reason: check.reason };
}

/**
 * Whether a link may be opened in the system browser: https only, no credentials in it, not the
 * admin origin (that must never leave the app window, where the session lives) and no loopback
 * host (a link must not poke at services on this machine through the browser).
 */
export function checkExternalLink(raw: unknown, adminOrigin: string): ExternalLinkCheck {
  if (typeof raw !== 'string' || raw.length === 0) return { ok: false, reason: 'not a link' };
  if (raw.length > MAX_EXTERNAL_URL) return { ok: false, reason: 'link too long' };
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) return { ok: false, reason: 'link contains spaces or control characters' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a valid link' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'only https links open in the browser' };
  if (url.username || url.password) return { ok: false, reason: 'links with credentials are refused' };
  if (url.origin === adminOrigin) return { ok: false, reason: 'the console itself stays in the app' };
  if (isLoopbackHost(url.hostname)) return { ok: false, reason: 'links to this computer are refused' };
  return { ok: true, url: url.href };
}

function isLoopbackHost(hostname: string): boolean {
  // The URL parser already turned 2130706433 or 0x7f.1 into 127.0.0.1 and ::ffff:127.0.0.1 into ::ffff:7f00:1.
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '0.0.0.0' ||
    host === '::1' ||
    host === '::' ||
    /^::ffff:7f[0-9a-f]{2}:/.test(host)
  );
}

/**
 * `will-frame-navigate` for sub-frames (the main frame goes through navigationDecision): a frame
 * may show the admin origin or an inline document (`about:srcdoc`, the HTML creative preview;
 * `about:blank`), nothing else — in particular no remote page inside the console, and no link
 * from inside an ad frame opened in the browser behind the user's back.
 */
export function frameNavigationDecision(url: string, adminOrigin: string, isMainFrame: boolean): NavigationDecision {
  if (isMainFrame) return navigationDecision(url, adminOrigin);
  if (url === 'about:srcdoc' || url === 'about:blank') return { action: 'allow' };
  if (originOf(url) === adminOrigin && adminOrigin !== '') return { action: 'allow' };
  return { action: 'block', reason: 'frames show only the console or inline previews' };
}
