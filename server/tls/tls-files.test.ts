import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueSelfSigned } from '../../node/tls/self-signed';
import { certificateLine, loadTlsPair } from './tls-files';
import { adminExposureProblem, isLoopbackHost } from './exposure';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-tls-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function files(name: string, pair: { certPem: string; keyPem: string }) {
  const certFile = path.join(dir, `${name}.crt`);
  const keyFile = path.join(dir, `${name}.key`);
  fs.writeFileSync(certFile, pair.certPem);
  fs.writeFileSync(keyFile, pair.keyPem, { mode: 0o600 });
  return { certFile, keyFile };
}

describe('loadTlsPair', () => {
  it('serves an expired certificate with a warning, and a current one without', () => {
    const expired = issueSelfSigned(['old.example'], { now: new Date('2020-01-01T00:00:00Z'), days: 30 });
    const pair = loadTlsPair(files('expired', expired));
    expect(pair.fingerprint).toBe(expired.fingerprint);
    expect(pair.warning).toMatch(/expired on 2020-01-31/);
    const current = loadTlsPair(files('current', issueSelfSigned(['a.example', '10.0.0.1'])));
    expect(current.warning).toBeUndefined();
    expect(certificateLine(current)).toMatch(/^TLS certificate SHA256:[0-9a-f]{64} \(CN=a\.example; DNS:a\.example, IP Address:10\.0\.0\.1\)$/);
  });

  it('refuses a directory, an empty file and a certificate given as key', () => {
    const ok = files('ok', issueSelfSigned(['localhost']));
    expect(() => loadTlsPair({ certFile: dir, keyFile: ok.keyFile })).toThrow(/is not a file/);
    fs.writeFileSync(path.join(dir, 'empty.pem'), '');
    expect(() => loadTlsPair({ certFile: path.join(dir, 'empty.pem'), keyFile: ok.keyFile })).toThrow(/not a PEM certificate/);
    expect(() => loadTlsPair({ certFile: ok.certFile, keyFile: ok.certFile })).toThrow(/not an unencrypted PEM private key/);
  });
});

describe('admin exposure', () => {
  it('allows loopback always and other hosts only under TLS', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'ads.example.com', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
    expect(adminExposureProblem('0.0.0.0', false)).toMatch(/^refusing to serve the admin API on 0\.0\.0\.0 without TLS/);
    expect(adminExposureProblem('0.0.0.0', true)).toBeNull();
    expect(adminExposureProblem('127.0.0.1', false)).toBeNull();
  });
});
