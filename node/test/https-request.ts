// Test helper: one HTTPS request that trusts exactly the given CA (a pinned self-signed certificate).
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

/** The answer of httpsRequest. */
export interface HttpsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** SHA-256 fingerprint of the certificate the server presented, as Node prints it (AB:CD:…). */
  peerFingerprint: string;
}

/** Requests `url` over HTTPS trusting only `ca`; `agent` may keep the connection alive across calls. */
export function httpsRequest(
  url: string,
  options: { ca: string | Buffer; method?: string; headers?: Record<string, string>; body?: string; agent?: https.Agent; servername?: string },
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: options.method ?? 'GET', headers: options.headers, ca: options.ca, agent: options.agent, servername: options.servername }, (res) => {
      const chunks: Buffer[] = [];
      const peer = (res.socket as import('node:tls').TLSSocket).getPeerCertificate?.();
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), peerFingerprint: peer?.fingerprint256 ?? '' }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
