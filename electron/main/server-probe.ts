// Probes the agency's server before the app connects to it: GET /api/server-info over https,
// noting the certificate's SHA-256 fingerprint and whether it chains to a trusted CA, so the
// setup page can show the fingerprint to compare with what `serve` printed before pinning it.
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { isInstallationId, type ServerInfo } from '../../common/schemas/server-info';
import { parseTlsFingerprint, type TlsFingerprint } from '../../common/tls-fingerprint';
import { parseServerOrigin } from './connection-settings';

/** What the probe found out. */
export type ProbeResult =
  | { ok: true; adminOrigin: string; info: ServerInfo; fingerprint: TlsFingerprint; caTrusted: boolean; caError: string | null }
  | { ok: false; reason: string };

const MAX_BODY = 16 * 1024;

/**
 * Asks `serverUrl` (an https origin a person typed) who it is. Any certificate is let through the
 * handshake on purpose — that is what the user is about to judge by its fingerprint — but nothing
 * is sent except this one anonymous GET, and the answer must be a well-formed server-info.
 * `ca` adds trust anchors (tests; the system store otherwise).
 */
export async function probeServer(serverUrl: unknown, options: { timeoutMs?: number; ca?: string | Buffer } = {}): Promise<ProbeResult> {
  const parsed = parseServerOrigin(serverUrl);
  if (!parsed.ok) return parsed;
  const adminOrigin = parsed.origin;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise<ProbeResult>((resolve) => {
    let settled = false;
    const done = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = https.request(`${adminOrigin}/api/server-info`, {
      method: 'GET',
      headers: { accept: 'application/json' },
      rejectUnauthorized: false,
      ca: options.ca,
      agent: false,
      timeout: timeoutMs,
    });
    req.on('timeout', () => {
      req.destroy();
      done({ ok: false, reason: `The server did not answer within ${timeoutMs / 1000} s.` });
    });
    req.on('error', (err) => done({ ok: false, reason: `The server could not be reached: ${err.message}` }));
    req.on('response', (res) => {
      const socket = res.socket as TLSSocket;
      const fingerprint = parseTlsFingerprint(socket.getPeerCertificate().fingerprint256);
      const caTrusted = socket.authorized;
      const caError = caTrusted ? null : String(socket.authorizationError ?? 'not trusted');
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          req.destroy();
          done({ ok: false, reason: 'The server answered with too much data; is this a Creative Engine server?' });
        } else chunks.push(chunk);
      });
      res.on('error', (err) => done({ ok: false, reason: `The answer broke off: ${err.message}` }));
      res.on('end', () => {
        if (!fingerprint) return done({ ok: false, reason: 'The server sent no certificate.' });
        if (res.statusCode !== 200) return done({ ok: false, reason: `The server answered ${res.statusCode}; is this a Creative Engine server?` });
        const info = parseServerInfo(Buffer.concat(chunks).toString('utf8'));
        if (!info) return done({ ok: false, reason: 'The answer is not a Creative Engine server-info; is this the admin address?' });
        done({ ok: true, adminOrigin, info, fingerprint, caTrusted, caError });
      });
    });
    req.end();
  });
}

/** The server-info in `text`, or null unless it has exactly the expected shape. */
export function parseServerInfo(text: string): ServerInfo | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!isInstallationId(v.installationId)) return null;
  if (typeof v.name !== 'string' || v.name.length > 200 || typeof v.version !== 'string' || v.version.length > 50) return null;
  return { installationId: v.installationId, name: v.name, version: v.version };
}
