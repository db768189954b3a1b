import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestUser } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { resolveConfig } from '../config';
import { startApp } from '../app';
import { makeCert, writeCert } from '../../node/test/make-cert';
import { httpsRequest } from '../../node/test/https-request';
import { parseTlsFingerprint } from '../../common/tls-fingerprint';

const dirs: string[] = [];
const apps: TestApp[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-tls-'));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const app of apps) await app.dispose();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function tlsApp(dir = tempDir()) {
  const cert = writeCert(path.join(dir, 'tls'));
  const app = await startTestApp({ tlsFiles: { certFile: cert.certFile, keyFile: cert.keyFile } });
  apps.push(app);
  return { app, cert, dir };
}

describe('native TLS (serve --tls-cert --tls-key)', () => {
  it('serves every listener over HTTPS with the pinned certificate, HSTS and Secure cookies', async () => {
    const { app, cert } = await tlsApp();
    expect(app.adminUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(app.deliveryUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(app.tls?.fingerprint).toBe(cert.fingerprint);
    expect(app.portalUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(app.listeners.map((l) => `${l.name}:${l.scheme}`)).toEqual(['delivery:https', 'admin:https', 'portal:https']);

    const health = await httpsRequest(`${app.deliveryUrl}/healthz`, { ca: cert.certPem });
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(parseTlsFingerprint(health.peerFingerprint)).toBe(cert.fingerprint);

    const info = await httpsRequest(`${app.adminUrl}/api/server-info`, { ca: cert.certPem });
    expect(info.status).toBe(200);
    expect(info.headers['strict-transport-security']).toMatch(/max-age=\d+/);

    const user = await createTestUser(app, { roles: ['admin'] });
    const session = await httpsRequest(`${app.adminUrl}/api/session`, {
      ca: cert.certPem,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'creative-engine' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    expect(session.status).toBe(200);
    expect(String(session.headers['set-cookie'])).toMatch(/; Secure/);

    // Another certificate is not trusted, and plain HTTP gets no answer from an HTTPS port.
    await expect(httpsRequest(`${app.adminUrl}/api/server-info`, { ca: makeCert().certPem })).rejects.toThrow(/self.signed|unable to verify|certificate/i);
    await expect(fetch(`${app.adminUrl.replace('https:', 'http:')}/api/server-info`)).rejects.toThrow();
  });

  it('swaps the certificate on reload while a keep-alive connection stays open; a bad pair keeps the old one', async () => {
    const { app, cert, dir } = await tlsApp();
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    agent.on('free', (socket) => sockets.add(socket));
    const first = await httpsRequest(`${app.deliveryUrl}/healthz`, { ca: cert.certPem, agent });
    expect(first.status).toBe(200);

    // A mismatched pair: the old certificate stays.
    const other = makeCert();
    fs.writeFileSync(path.join(dir, 'tls', 'key.pem'), other.keyPem);
    const failed = app.tls!.reload();
    expect(failed).toMatchObject({ ok: false, error: expect.stringMatching(/does not belong/) });
    expect(app.tls!.fingerprint).toBe(cert.fingerprint);

    const renewed = writeCert(path.join(dir, 'tls'));
    expect(app.tls!.reload()).toEqual({ ok: true, fingerprint: renewed.fingerprint });
    expect(app.tls!.fingerprint).toBe(renewed.fingerprint);

    // The open connection keeps working (same socket, old session) …
    const again = await httpsRequest(`${app.deliveryUrl}/healthz`, { ca: cert.certPem, agent });
    expect(again.status).toBe(200);
    expect(sockets.size).toBe(1);
    // … and new connections get the new certificate.
    const fresh = await httpsRequest(`${app.deliveryUrl}/healthz`, { ca: renewed.certPem });
    expect(parseTlsFingerprint(fresh.peerFingerprint)).toBe(renewed.fingerprint);
    const admin = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port: Number(new URL(app.adminUrl).port), ca: renewed.certPem, servername: 'localhost' }, () => {
        resolve(socket.getPeerCertificate().fingerprint256);
        socket.end();
      });
      socket.on('error', reject);
    });
    expect(parseTlsFingerprint(admin)).toBe(renewed.fingerprint);
    agent.destroy();
  });

  it('refuses to start on a missing, non-PEM or mismatched pair, before touching the data directory', async () => {
    const dir = tempDir();
    const a = writeCert(path.join(dir, 'a'));
    const b = writeCert(path.join(dir, 'b'));
    fs.writeFileSync(path.join(dir, 'junk.pem'), 'not a certificate');
    const start = (certFile: string, keyFile: string) => {
      const dataDir = path.join(dir, 'data');
      return startApp(resolveConfig({ dataDir, silent: true, delivery: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, portal: { host: '127.0.0.1', port: 0 }, tlsFiles: { certFile, keyFile } }));
    };
    await expect(start(path.join(dir, 'missing.pem'), a.keyFile)).rejects.toThrow(/cannot read the TLS certificate .*missing\.pem: ENOENT/);
    await expect(start(path.join(dir, 'junk.pem'), a.keyFile)).rejects.toThrow(/junk\.pem is not a PEM certificate/);
    await expect(start(a.certFile, path.join(dir, 'junk.pem'))).rejects.toThrow(/junk\.pem is not an unencrypted PEM private key/);
    await expect(start(a.certFile, b.keyFile)).rejects.toThrow(/does not belong to the certificate/);
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(false);
  });

  it('refuses the admin API on a non-loopback host without TLS, allows it with native TLS or the proxy mode', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const config = (extra: object) => resolveConfig({ dataDir, silent: true, delivery: { host: '127.0.0.1', port: 0 }, admin: { host: '0.0.0.0', port: 0 }, portal: null, ...extra });
    await expect(startApp(config({}))).rejects.toThrow(/^refusing to serve the admin API on 0\.0\.0\.0 without TLS/);
    expect(fs.existsSync(dataDir)).toBe(false);
    const proxied = await startTestApp({ admin: { host: '0.0.0.0', port: 0 }, portal: null, tls: true });
    apps.push(proxied);
    expect(proxied.listeners[1]).toMatchObject({ name: 'admin', scheme: 'http', address: '0.0.0.0' });
  });

  it('refuses the customer portal on a non-loopback host without TLS, allows it in the proxy mode or turned off', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const config = (extra: object) => resolveConfig({ dataDir, silent: true, delivery: { host: '127.0.0.1', port: 0 }, admin: { host: '127.0.0.1', port: 0 }, portal: { host: '0.0.0.0', port: 0 }, ...extra });
    await expect(startApp(config({}))).rejects.toThrow(/^refusing to serve the customer portal on 0\.0\.0\.0 without TLS/);
    expect(fs.existsSync(dataDir)).toBe(false);
    const proxied = await startTestApp({ portal: { host: '0.0.0.0', port: 0 }, tls: true });
    apps.push(proxied);
    expect(proxied.listeners[2]).toMatchObject({ name: 'portal', scheme: 'http', address: '0.0.0.0' });
    const off = await startTestApp({ portal: null });
    apps.push(off);
    expect(off.portalUrl).toBeUndefined();
    expect(off.listeners.map((l) => l.name)).toEqual(['delivery', 'admin']);
  });
});
