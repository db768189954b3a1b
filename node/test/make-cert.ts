// Test helpers: a fresh self-signed certificate for the given hosts, in memory or as files.
import fs from 'node:fs';
import path from 'node:path';
import { issueSelfSigned, type CertificatePair } from '../tls/self-signed';

const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '::1'];

/** A new self-signed certificate and key (EC P-256) for `hosts` (default localhost, 127.0.0.1, ::1). */
export function makeCert(hosts: string[] = DEFAULT_HOSTS): CertificatePair {
  return issueSelfSigned(hosts);
}

/** makeCert, written to `dir/cert.pem` and `dir/key.pem` (key mode 0600). */
export function writeCert(dir: string, hosts: string[] = DEFAULT_HOSTS): { certFile: string; keyFile: string; fingerprint: CertificatePair['fingerprint']; certPem: string } {
  const pair = makeCert(hosts);
  fs.mkdirSync(dir, { recursive: true });
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  fs.writeFileSync(certFile, pair.certPem);
  fs.writeFileSync(keyFile, pair.keyPem, { mode: 0o600 });
  return { certFile, keyFile, fingerprint: pair.fingerprint, certPem: pair.certPem };
}
