// Which server the desktop app uses, chosen at first start and changeable from the app menu:
// the embedded server on this computer, or the agency's server at an https URL whose certificate
// fingerprint the user confirmed. Stored as one small JSON file in the app's userData folder.
import fs from 'node:fs';
import path from 'node:path';
import { parseTlsFingerprint, type TlsFingerprint } from '../../common/tls-fingerprint';

/** The file name inside userData. */
export const CONNECTION_SETTINGS_FILE = 'connection.json';

/** Run the server inside the app; `serveAdsToNetwork` binds its delivery listener to every interface, else 127.0.0.1. */
export interface EmbeddedConnection {
  mode: 'embedded';
  serveAdsToNetwork: boolean;
}

/**
 * Connect to a remote server's admin origin over https. `pinnedFingerprint` is the certificate the
 * user confirmed; null when the certificate chains to a trusted CA and the user pinned nothing.
 */
export interface RemoteConnection {
  mode: 'connect';
  adminOrigin: string;
  pinnedFingerprint: TlsFingerprint | null;
}

export type ConnectionSettings = EmbeddedConnection | RemoteConnection;

/** Outcome of validating untrusted input (the file, or what the setup page sent). */
export type ConnectionSettingsCheck = { ok: true; settings: ConnectionSettings } | { ok: false; reason: string };

const MAX_URL = 2048;

/**
 * The https origin of a server URL a person typed (`https://ads.example.eu`, with or without a
 * trailing slash; no path, query, credentials), or a reason it is not acceptable.
 */
export function parseServerOrigin(raw: unknown): { ok: true; origin: string } | { ok: false; reason: string } {
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: 'Enter the server address.' };
  const text = raw.trim();
  if (text.length > MAX_URL || !URL.canParse(text)) return { ok: false, reason: 'This is not a valid address.' };
  const url = new URL(text);
  if (url.protocol !== 'https:') return { ok: false, reason: 'The address must start with https://.' };
  if (url.username || url.password) return { ok: false, reason: 'The address must not contain a user name or password.' };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return { ok: false, reason: 'Give only the server address, without a path.' };
  }
  return { ok: true, origin: url.origin };
}

/** Strictly validates settings: exactly the known keys of one mode, right types, an https origin. */
export function validateConnectionSettings(value: unknown): ConnectionSettingsCheck {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not an object' };
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v).sort().join(',');
  if (v.mode === 'embedded') {
    if (keys !== 'mode,serveAdsToNetwork') return { ok: false, reason: 'unexpected or missing fields' };
    if (typeof v.serveAdsToNetwork !== 'boolean') return { ok: false, reason: 'serveAdsToNetwork must be true or false' };
    return { ok: true, settings: { mode: 'embedded', serveAdsToNetwork: v.serveAdsToNetwork } };
  }
  if (v.mode === 'connect') {
    if (keys !== 'adminOrigin,mode,pinnedFingerprint') return { ok: false, reason: 'unexpected or missing fields' };
    const origin = parseServerOrigin(v.adminOrigin);
    if (!origin.ok) return { ok: false, reason: origin.reason };
    if (origin.origin !== v.adminOrigin) return { ok: false, reason: 'adminOrigin must be an origin' };
    let pinned: TlsFingerprint | null = null;
    if (v.pinnedFingerprint !== null) {
      pinned = parseTlsFingerprint(v.pinnedFingerprint);
      if (pinned === null || pinned !== v.pinnedFingerprint) return { ok: false, reason: 'pinnedFingerprint must be SHA256: and 64 lower-case hex digits' };
    }
    return { ok: true, settings: { mode: 'connect', adminOrigin: origin.origin, pinnedFingerprint: pinned } };
  }
  return { ok: false, reason: 'mode must be "embedded" or "connect"' };
}

/**
 * Reads the settings from `<userDataDir>/connection.json`. Null when there is no file yet (first
 * start: ask). A file that does not parse or validate is reported as `invalid`, so the caller asks
 * again instead of guessing — never silently falls back to another server.
 */
export function loadConnectionSettings(userDataDir: string): { state: 'missing' } | { state: 'invalid'; reason: string } | { state: 'ok'; settings: ConnectionSettings } {
  const file = path.join(userDataDir, CONNECTION_SETTINGS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'invalid', reason: `cannot read ${CONNECTION_SETTINGS_FILE}: ${(err as Error).message}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { state: 'invalid', reason: `${CONNECTION_SETTINGS_FILE} is not JSON` };
  }
  const check = validateConnectionSettings(parsed);
  return check.ok ? { state: 'ok', settings: check.settings } : { state: 'invalid', reason: check.reason };
}

/** Validates and writes the settings atomically (temporary file, then rename), readable by this user only. */
export function saveConnectionSettings(userDataDir: string, settings: ConnectionSettings): void {
  const check = validateConnectionSettings(settings);
  if (!check.ok) throw new Error(`invalid connection settings: ${check.reason}`);
  fs.mkdirSync(userDataDir, { recursive: true });
  const file = path.join(userDataDir, CONNECTION_SETTINGS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(check.settings, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}
