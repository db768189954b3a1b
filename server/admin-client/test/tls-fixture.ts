import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TlsFingerprint } from '../../../common/tls-fingerprint';
import { writeCert } from '../../../node/test/make-cert';

/** A self-signed certificate for 127.0.0.1 and localhost, as files in a temp dir. */
export interface TestCert {
  dir: string;
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
  fingerprint: TlsFingerprint;
}

/** Generates a fresh P-256 self-signed certificate for 127.0.0.1/localhost (server/tls's issuer). */
export function selfSignedCert(): TestCert {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-tls-'));
  const { certFile, keyFile, fingerprint } = writeCert(dir, ['localhost', '127.0.0.1']);
  return { dir, certFile, keyFile, cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile), fingerprint };
}

/** The real admin app behind node:https on an ephemeral loopback port, with every request it saw. */
export interface TlsFront {
  url: string;
  cert: TestCert;
  /** `METHOD path` of each request that reached the HTTPS server (so tests can prove none did). */
  seen: string[];
  close(): Promise<void>;
}

/** Wraps the admin app at `adminUrl` (plain http on loopback) in an HTTPS server with `cert`. */
export async function httpsFront(adminUrl: string, cert: TestCert = selfSignedCert()): Promise<TlsFront> {
  const target = new URL(adminUrl);
  const seen: string[] = [];
  const server = https.createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    cert,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(cert.dir, { recursive: true, force: true });
    },
  };
}
