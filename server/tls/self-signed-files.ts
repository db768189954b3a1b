// `init --tls-self-signed`: a self-signed certificate written to <data>/tls/{cert,key}.pem.
import fs from 'node:fs';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { fingerprintOf, issueSelfSigned } from '../../node/tls/self-signed';
import type { TlsFingerprint } from '../../common/tls-fingerprint';

/** Where init writes the self-signed pair inside a data directory. */
export function selfSignedPaths(dataDir: string): { dir: string; certFile: string; keyFile: string } {
  const dir = path.join(path.resolve(dataDir), 'tls');
  return { dir, certFile: path.join(dir, 'cert.pem'), keyFile: path.join(dir, 'key.pem') };
}

/** Throws (one line) when a pair is already there and `force` is not set; otherwise does nothing. */
export function assertNoSelfSignedPair(dataDir: string, force: boolean): void {
  const { certFile, keyFile } = selfSignedPaths(dataDir);
  if (force || (!fs.existsSync(certFile) && !fs.existsSync(keyFile))) return;
  let which = certFile;
  try {
    which = `${certFile} (${fingerprintOf(new X509Certificate(fs.readFileSync(certFile)))})`;
  } catch {
    // unreadable or only the key is there: name the file alone
  }
  throw new Error(`${which} already exists; pass --force to replace the certificate and its key.`);
}

/** Issues a certificate for `hosts` and writes it (mode 0644) and its key (0600) into `<data>/tls` (0700), replacing files atomically. */
export function writeSelfSignedPair(dataDir: string, hosts: string[]): { certFile: string; keyFile: string; fingerprint: TlsFingerprint; validTo: string } {
  const { dir, certFile, keyFile } = selfSignedPaths(dataDir);
  const pair = issueSelfSigned(hosts);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  writeAtomically(keyFile, pair.keyPem, 0o600);
  writeAtomically(certFile, pair.certPem, 0o644);
  return { certFile, keyFile, fingerprint: pair.fingerprint, validTo: new Date(new X509Certificate(pair.certPem).validTo).toISOString() };
}

function writeAtomically(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  fs.writeFileSync(tmp, text, { mode, flag: 'wx' });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}
