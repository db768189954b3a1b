// Issues a self-signed X.509 v3 server certificate with node:crypto and the DER encoder: what
// `init --tls-self-signed` writes and what the tests serve.
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { parseTlsFingerprint, type TlsFingerprint } from '../../common/tls-fingerprint';
import * as der from './der';

/** A certificate and its private key, both PEM, with the certificate's fingerprint. */
export interface CertificatePair {
  certPem: string;
  keyPem: string;
  fingerprint: TlsFingerprint;
}

const DAY_MS = 86_400_000;
/** About two years: long enough for a desk installation, short enough to be renewed some day. */
export const SELF_SIGNED_DAYS = 730;

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

/**
 * Parses `HOST,HOST,…` (DNS names and IPv4/IPv6 addresses) for the certificate's SANs. Throws an
 * Error naming the first bad entry; at most 20 hosts.
 */
export function parseCertificateHosts(text: string): string[] {
  const hosts = text.split(',').map((h) => h.trim()).filter(Boolean);
  if (hosts.length === 0) throw new Error('name at least one host name or IP address, e.g. localhost,127.0.0.1,ads.example.com');
  if (hosts.length > 20) throw new Error('at most 20 host names or IP addresses');
  for (const host of hosts) {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    if (isIP(bare)) continue;
    if (!/^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(host)) {
      throw new Error(`"${host}" is neither a host name nor an IP address`);
    }
  }
  return [...new Set(hosts.map((h) => h.replace(/^\[(.*)\]$/, '$1').toLowerCase()))];
}

/** Issues a self-signed certificate (EC P-256, SHA-256) for `hosts`, valid from an hour ago for `days`. */
export function issueSelfSigned(hosts: string[], options: { now?: Date; days?: number; keyType?: 'ec' | 'rsa' } = {}): CertificatePair {
  if (hosts.length === 0) throw new Error('a certificate needs at least one host');
  const now = options.now ?? new Date();
  const rsa = options.keyType === 'rsa';
  const { privateKey, publicKey } = rsa ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const signatureAlgorithm = rsa ? der.sequence(der.oid(OID.sha256WithRsa), der.nullValue()) : der.sequence(der.oid(OID.ecdsaWithSha256));
  const name = der.sequence(
    der.set(der.sequence(der.oid(OID.organization), der.utf8String('Creative Engine (self-signed)'))),
    der.set(der.sequence(der.oid(OID.commonName), der.utf8String(hosts[0]!.slice(0, 64)))),
  );
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  serial[0]! |= 0x01; // positive and never shortened below 16 bytes
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(serial),
    signatureAlgorithm,
    name,
    der.sequence(der.time(new Date(now.getTime() - 3_600_000)), der.time(new Date(now.getTime() + (options.days ?? SELF_SIGNED_DAYS) * DAY_MS))),
    name,
    spki,
    der.explicit(3, der.sequence(...extensions(hosts, spki, rsa))),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certDer = der.sequence(tbs, signatureAlgorithm, der.bitString(signature));
  const certPem = `-----BEGIN CERTIFICATE-----\n${certDer.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return { certPem, keyPem, fingerprint: fingerprintOf(new X509Certificate(certPem)) };
}

function extensions(hosts: string[], spki: Buffer, rsa: boolean): Buffer[] {
  const ext = (id: string, critical: boolean, value: Buffer) => der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
  const sans = hosts.map((h) => (isIP(h) ? der.implicitPrimitive(7, ipBytes(h)) : der.implicitPrimitive(2, Buffer.from(h, 'latin1'))));
  // digitalSignature (bit 0), plus keyEncipherment (bit 2) for RSA key exchange.
  const keyUsage = rsa ? Buffer.from([0x05, 0xa0]) : Buffer.from([0x07, 0x80]);
  return [
    ext(OID.basicConstraints, true, der.sequence()),
    ext(OID.keyUsage, true, der.tlv(0x03, keyUsage)),
    ext(OID.extKeyUsage, false, der.sequence(der.oid(OID.serverAuth))),
    ext(OID.subjectAltName, false, der.sequence(...sans)),
    ext(OID.subjectKeyIdentifier, false, der.octetString(createHashOf(spki))),
  ];
}

function createHashOf(bytes: Buffer): Buffer {
  return createHash('sha1').update(bytes).digest().subarray(0, 20);
}

/** An IPv4 or IPv6 address as its 4 or 16 network-order bytes. */
export function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  if (isIP(ip) !== 6) throw new Error(`not an IP address: ${ip}`);
  let text = ip.split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = ipBytes(v4[1]!);
    text = text.slice(0, -v4[1]!.length) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** `SHA256:` + hex of a certificate (common/tls-fingerprint.ts spelling). */
export function fingerprintOf(cert: X509Certificate): TlsFingerprint {
  return parseTlsFingerprint(cert.fingerprint256)!;
}
