import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { parseTlsFingerprint, sameTlsFingerprint, type TlsFingerprint } from '../../common/tls-fingerprint';

/** How the CLI trusts the server: a pinned certificate fingerprint, a CA file, or the system CAs. */
export type TlsTrust = { kind: 'pin'; fingerprint: TlsFingerprint } | { kind: 'ca'; ca: Buffer } | { kind: 'system' };

/** A transport failure, one line safe to print (never a credential). */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(readonly code: 'bad_url' | 'insecure' | 'pin_mismatch' | 'untrusted' | 'unreachable' | 'redirect', message: string) {
    super(message);
  }
}

/** One answer of the server: status, headers and the body as text. */
export interface TransportResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Sends one request to the admin API; no redirect is ever followed. */
export type AdminTransport = (method: string, path: string, headers: Record<string, string>, body?: string) => Promise<TransportResponse>;

const MAX_BODY = 16 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

/** Whether a URL host is this machine (the only place plain http is allowed). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1';
}

/** Builds the trust from the CLI flags (`--tls-fingerprint`, `--ca`); throws a one-line TransportError. */
export function tlsTrustFrom(flags: { fingerprint?: string; caFile?: string }): TlsTrust {
  if (flags.fingerprint !== undefined && flags.caFile !== undefined) throw new TransportError('bad_url', 'give either --tls-fingerprint or --ca, not both');
  if (flags.fingerprint !== undefined) {
    const fingerprint = parseTlsFingerprint(flags.fingerprint);
    if (!fingerprint) throw new TransportError('bad_url', '--tls-fingerprint must be SHA256: and 64 hex digits (as `serve` prints it)');
    return { kind: 'pin', fingerprint };
  }
  if (flags.caFile !== undefined) {
    try {
      return { kind: 'ca', ca: fs.readFileSync(flags.caFile) };
    } catch {
      throw new TransportError('bad_url', `cannot read the CA file ${flags.caFile}`);
    }
  }
  return { kind: 'system' };
}

/**
 * A transport to the server at `serverUrl` over node:https (or plain http on loopback only). With a
 * pin, the TLS handshake is finished and the certificate compared before the HTTP request is even
 * created, so no request byte (credentials least of all) reaches a server with another certificate.
 */
export function createAdminTransport(serverUrl: string, trust: TlsTrust): { origin: string; send: AdminTransport } {
  const url = URL.canParse(serverUrl) ? new URL(serverUrl) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) {
    throw new TransportError('bad_url', '--server must be the console URL, like https://ads.example.com:8081');
  }
  const secure = url.protocol === 'https:';
  if (!secure && !isLoopbackHost(url.hostname)) throw new TransportError('insecure', `refusing plain http to ${url.host}: use https:// (only loopback may use http)`);
  if (!secure && trust.kind !== 'system') throw new TransportError('insecure', '--tls-fingerprint and --ca need an https:// server URL');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || (secure ? 443 : 80));

  const connect = (): Promise<net.Socket> => (secure ? connectTls(host, port, trust) : connectPlain(host, port));

  const send: AdminTransport = async (method, path, headers, body) => {
    const socket = await connect();
    return new Promise<TransportResponse>((resolve, reject) => {
      const req = http.request(
        { method, path, host, port, headers: { ...headers, host: url.host, connection: 'close' }, createConnection: () => socket, timeout: TIMEOUT_MS },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            res.destroy();
            reject(new TransportError('redirect', `the server answered with a redirect (${status}); redirects are never followed`));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY) res.destroy(new Error('too large'));
            else chunks.push(c);
          });
          res.on('end', () => resolve({ status, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', () => reject(new TransportError('unreachable', `the connection to ${url.host} broke off`)));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => reject(new TransportError('unreachable', `cannot reach the server at ${url.origin}`)));
      req.end(body);
    });
  };
  return { origin: url.origin, send };
}

function connectPlain(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, timeout: TIMEOUT_MS });
    socket.once('connect', () => {
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once('timeout', () => socket.destroy(new Error('timeout')));
    socket.once('error', () => reject(new TransportError('unreachable', `cannot reach the server at http://${host}:${port}`)));
  });
}

function connectTls(host: string, port: number, trust: TlsTrust): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const pinned = trust.kind === 'pin';
    const socket = tls.connect({
      host,
      port,
      servername: net.isIP(host) ? undefined : host,
      ALPNProtocols: ['http/1.1'],
      // With a pin the certificate itself is the trust: the chain need not lead to a CA, but its
      // fingerprint must match (checked below, before anything is written).
      rejectUnauthorized: !pinned,
      ca: trust.kind === 'ca' ? trust.ca : undefined,
      timeout: TIMEOUT_MS,
    });
    let settled = false;
    const fail = (err: TransportError) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(err);
    };
    socket.once('secureConnect', () => {
      if (pinned) {
        const seen = parseTlsFingerprint(socket.getPeerCertificate().fingerprint256);
        if (!seen || !sameTlsFingerprint(seen, trust.fingerprint)) {
          fail(new TransportError('pin_mismatch', `the server's certificate ${seen ?? '(none)'} does not match the pinned ${trust.fingerprint}`));
          return;
        }
      }
      settled = true;
      socket.setTimeout(0);
      resolve(socket);
    });
    socket.once('timeout', () => fail(new TransportError('unreachable', `no TLS answer from ${host}:${port}`)));
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/.test(code)) {
        fail(new TransportError('untrusted', `the server's certificate is not trusted (${code}); pin it with --tls-fingerprint or give its CA with --ca`));
      } else {
        fail(new TransportError('unreachable', `cannot reach the server at https://${host}:${port}`));
      }
    });
  });
}
