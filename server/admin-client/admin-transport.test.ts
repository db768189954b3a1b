import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupAdmin, PASSWORD } from '../cases/test/staff-fixture';
import { startTestApp, type TestApp } from '../test/test-app';
import { AdminApiError, AdminClient } from './admin-client';
import { createAdminTransport, isLoopbackHost, tlsTrustFrom, TransportError } from './admin-transport';
import { httpsFront, selfSignedCert, type TlsFront } from './test/tls-fixture';

// The CLI's transport against the real admin app behind node:https with a fresh self-signed cert.
let app: TestApp;
let front: TlsFront;
let email: string;

beforeAll(async () => {
  app = await startTestApp();
  email = (await setupAdmin(app.adminUrl)).email;
  front = await httpsFront(app.adminUrl);
}, 60_000);

afterAll(async () => {
  await front?.close();
  await app?.dispose();
});

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as Error);

describe('admin transport', () => {
  it('signs in over https with the right pin', async () => {
    const client = AdminClient.connect(front.url, { kind: 'pin', fingerprint: front.cert.fingerprint });
    expect((await client.serverInfo()).installationId).toMatch(/^ins_[0-9a-f]{32}$/);
    await client.signIn({ email, password: PASSWORD });
    expect(await client.call<{ email: string }>('GET', '/api/me')).toMatchObject({ email });
    await client.signOut();
    expect(front.seen).toContain('POST /api/session');
  });

  it('refuses a wrong pin with one line before any request byte is sent', async () => {
    const other = selfSignedCert();
    const before = front.seen.length;
    const client = AdminClient.connect(front.url, { kind: 'pin', fingerprint: other.fingerprint });
    const err = await failure(client.signIn({ email, password: PASSWORD }));
    expect(err).toBeInstanceOf(TransportError);
    expect(err!.message).toBe(`the server's certificate ${front.cert.fingerprint} does not match the pinned ${other.fingerprint}`);
    expect(front.seen.length).toBe(before); // no request reached the server, credentials least of all
  });

  it('trusts a --ca file, and refuses the self-signed certificate under the system CAs', async () => {
    const client = AdminClient.connect(front.url, tlsTrustFrom({ caFile: front.cert.certFile }));
    await client.signIn({ email, password: PASSWORD });
    await client.signOut();
    const before = front.seen.length;
    const err = await failure(AdminClient.connect(front.url, { kind: 'system' }).serverInfo());
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).code).toBe('untrusted');
    expect(err!.message.split('\n')).toHaveLength(1);
    expect(front.seen.length).toBe(before);
  });

  it('allows plain http only to loopback hosts', async () => {
    expect(() => createAdminTransport('http://ads.example.com:8081', { kind: 'system' })).toThrow(/refusing plain http/);
    expect(() => createAdminTransport('http://10.0.0.5:8081', { kind: 'system' })).toThrow(TransportError);
    expect(() => createAdminTransport('ftp://127.0.0.1', { kind: 'system' })).toThrow(TransportError);
    expect(['127.0.0.1', 'localhost', '[::1]', '127.1.2.3'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', 'example.com', '[::2]', 'localhost.example.com'].some(isLoopbackHost)).toBe(false);
    const client = AdminClient.connect(app.adminUrl, { kind: 'system' });
    await client.signIn({ email, password: PASSWORD });
    await client.signOut();
    const wrong = await failure(AdminClient.connect(app.adminUrl, { kind: 'system' }).signIn({ email, password: 'nope' }));
    expect(wrong).toBeInstanceOf(AdminApiError);
    expect(wrong!.message).toBe('wrong e-mail or password');
  });

  it('never follows a redirect', async () => {
    const cert = selfSignedCert();
    const hits: string[] = [];
    const server = https.createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(302, { location: '/elsewhere' }).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const err = await failure(AdminClient.connect(url, { kind: 'pin', fingerprint: cert.fingerprint }).serverInfo());
      expect((err as TransportError).code).toBe('redirect');
      expect(hits).toEqual(['/api/server-info']);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
