import { X509Certificate, createPrivateKey } from 'node:crypto';
import https from 'node:https';
import { describe, expect, it } from 'vitest';
import * as der from './der';
import { ipBytes, issueSelfSigned, parseCertificateHosts } from './self-signed';
import { httpsRequest } from '../test/https-request';
import { parseTlsFingerprint } from '../../common/tls-fingerprint';

describe('DER encoder', () => {
  it('encodes the published examples', () => {
    expect(der.oid('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b');
    expect(der.oid('2.5.29.17').toString('hex')).toBe('0603551d11');
    expect(der.smallInteger(0).toString('hex')).toBe('020100');
    expect(der.smallInteger(128).toString('hex')).toBe('02020080');
    expect(der.unsignedInteger(Buffer.from([0, 0, 1])).toString('hex')).toBe('020101');
    expect(der.octetString(Buffer.alloc(200)).subarray(0, 3).toString('hex')).toBe('0481c8');
    expect(der.octetString(Buffer.alloc(300)).subarray(0, 4).toString('hex')).toBe('0482012c');
    expect(der.time(new Date('2026-01-02T03:04:05.678Z')).toString('latin1')).toBe('\x17\x0d260102030405Z');
    expect(der.time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });

  it('writes IP addresses as network-order bytes', () => {
    expect(ipBytes('192.168.1.20').toString('hex')).toBe('c0a80114');
    expect(ipBytes('::1').toString('hex')).toBe('00000000000000000000000000000001');
    expect(ipBytes('2001:db8::8:800:200c:417a').toString('hex')).toBe('20010db8000000000008080020' + '0c417a');
    expect(ipBytes('::ffff:10.0.0.1').toString('hex')).toBe('00000000000000000000ffff0a000001');
  });
});

describe('self-signed certificates', () => {
  it('issues a v3 certificate Node parses, with DNS and IP SANs, ~2 years, matching its key', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const pair = issueSelfSigned(['ads.example.com', '192.168.1.20', '::1', 'localhost'], { now });
    const x = new X509Certificate(pair.certPem);
    expect(x.subjectAltName).toBe('DNS:ads.example.com, IP Address:192.168.1.20, IP Address:0:0:0:0:0:0:0:1, DNS:localhost');
    expect(x.subject).toContain('CN=ads.example.com');
    expect(x.ca).toBe(false);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkPrivateKey(createPrivateKey(pair.keyPem))).toBe(true);
    expect(x.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const days = (Date.parse(x.validTo) - now.getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(725);
    expect(days).toBeLessThan(735);
    expect(Date.parse(x.validFrom)).toBeLessThan(now.getTime());
    expect(pair.fingerprint).toBe(parseTlsFingerprint(x.fingerprint256));
    expect(x.checkHost('ads.example.com')).toBe('ads.example.com');
    expect(x.checkIP('192.168.1.20')).toBe('192.168.1.20');
    expect(x.checkHost('other.example.com')).toBeUndefined();
  });

  it.each(['ec', 'rsa'] as const)('completes a real HTTPS handshake (%s key) with the certificate as the only CA, by name and by IP', async (keyType) => {
    const pair = issueSelfSigned(['localhost', '127.0.0.1'], { keyType });
    const server = https.createServer({ cert: pair.certPem, key: pair.keyPem }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      for (const host of ['localhost', '127.0.0.1']) {
        const answer = await httpsRequest(`https://${host}:${port}/`, { ca: pair.certPem });
        expect(answer.body).toBe('ok');
        expect(parseTlsFingerprint(answer.peerFingerprint)).toBe(pair.fingerprint);
      }
      // A name outside the SANs fails hostname verification.
      await expect(httpsRequest(`https://127.0.0.1:${port}/`, { ca: pair.certPem, servername: 'evil.example' })).rejects.toThrow();
    } finally {
      server.close();
    }
  });

  it('parses the host list and refuses what is not a host', () => {
    expect(parseCertificateHosts('localhost, 127.0.0.1,[::1],Ads.Example.com,localhost')).toEqual(['localhost', '127.0.0.1', '::1', 'ads.example.com']);
    expect(() => parseCertificateHosts('')).toThrow(/at least one/);
    expect(() => parseCertificateHosts('bad host')).toThrow(/"bad host" is neither/);
    expect(() => parseCertificateHosts('a_b.example')).toThrow(/neither/);
  });
});
