// Reads and checks the certificate and key files of native TLS (`serve --tls-cert --tls-key`).
import fs from 'node:fs';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import type { TlsFingerprint } from '../../common/tls-fingerprint';
import { fingerprintOf } from '../../node/tls/self-signed';

/** The PEM files of native TLS. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** A checked certificate/key pair, ready for https.createServer or setSecureContext. */
export interface TlsPair {
  cert: string;
  key: string;
  fingerprint: TlsFingerprint;
  /** `CN=… ; DNS:…, IP Address:…` for the start-up line. */
  summary: string;
  /** Set when the certificate is expired or not yet valid: served anyway, with a warning. */
  warning?: string;
}

/** Why a pair cannot be used, in one line naming the file. */
export class TlsFilesError extends Error {
  override name = 'TlsFilesError';
}

const MAX_PEM_BYTES = 1 << 20;

/** Reads both files and checks that they are PEM, that the key matches the certificate and the dates. Throws TlsFilesError. */
export function loadTlsPair(files: TlsFiles, now: Date = new Date()): TlsPair {
  const cert = readPem(files.certFile, 'certificate (--tls-cert)');
  const key = readPem(files.keyFile, 'private key (--tls-key)');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new TlsFilesError(`${files.certFile} is not a PEM certificate (expected -----BEGIN CERTIFICATE-----).`);
  }
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key);
  } catch {
    throw new TlsFilesError(`${files.keyFile} is not an unencrypted PEM private key (expected -----BEGIN PRIVATE KEY-----).`);
  }
  if (!x509.checkPrivateKey(keyObject)) throw new TlsFilesError(`the key ${files.keyFile} does not belong to the certificate ${files.certFile}.`);
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new TlsFilesError(`TLS cannot use ${files.certFile} with ${files.keyFile}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const from = new Date(x509.validFrom);
  const to = new Date(x509.validTo);
  const warning =
    to < now ? `the certificate ${files.certFile} expired on ${to.toISOString()}; clients will refuse it until it is renewed`
    : from > now ? `the certificate ${files.certFile} is not valid before ${from.toISOString()}`
    : undefined;
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(x509.subject)?.[1];
  const summary = [cn ? `CN=${cn}` : null, x509.subjectAltName ?? null].filter(Boolean).join('; ') || 'no subject names';
  return { cert, key, fingerprint: fingerprintOf(x509), summary, warning };
}

function readPem(file: string, what: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    throw new TlsFilesError(`cannot read the TLS ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  if (!stat.isFile()) throw new TlsFilesError(`the TLS ${what} ${file} is not a file.`);
  if (stat.size > MAX_PEM_BYTES) throw new TlsFilesError(`the TLS ${what} ${file} is larger than 1 MiB; is it the right file?`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new TlsFilesError(`cannot read the TLS ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

/** The start-up line: `TLS certificate SHA256:<hex> (<subject/SAN summary>)`. */
export const certificateLine = (pair: TlsPair): string => `TLS certificate ${pair.fingerprint} (${pair.summary})`;
