import type { BrowserWindowConstructorOptions } from 'electron';
import { CONSOLE_CSP } from '../../common/csp';


/** Options of the console window, hardened per Electron's security checklist. */
export function consoleWindowOptions(opts: { preloadPath: string; devTools: boolean }): BrowserWindowConstructorOptions {
  return {
    title: 'Creative Engine',
    width: 1360,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    show: false, // shown on ready-to-show, without a white flash
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false, // the spell-checker would download dictionaries from a third party
      devTools: opts.devTools,
    },
  };
}

/**
 * Response headers with the console CSP (common/csp.ts, the same policy the admin listener sends)
 * added to every response from the admin origin, so that the window stays locked down even if a
 * response lacks the header; other responses pass unchanged. A CSP the server sent is kept (both policies apply), never replaced.
 */
export function withConsoleCsp(
  url: string,
  headers: Record<string, string[]> | undefined,
  adminOrigin: string,
): Record<string, string[]> | undefined {
  if (originOf(url) !== adminOrigin) return headers;
  const out: Record<string, string[]> = {};
  const policies: string[] = [];
  for (const [name, values] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') policies.push(...values);
    else out[name] = values;
  }
  if (!policies.includes(CONSOLE_CSP)) policies.push(CONSOLE_CSP);
  out['Content-Security-Policy'] = policies;
  return out;
}

/** The origin of `url`, or null when it does not parse or is opaque. */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
