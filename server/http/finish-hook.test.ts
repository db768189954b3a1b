/**
 * Per-request finish hooks (access records) run at once for a response ended synchronously, else
 * from the response's close event, when the socket may already be gone. They must never throw out
 * of that event (it would stop the process), run exactly once, and the record must still name the client.
 */
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createListener, listen, close, urlOf } from './listener';
import { Router } from './router';
import { createTestIdentity } from '../sealing/test/test-identity';
import { memoryLogger, unsealAll } from '../sealing/test/unseal-for-tests';
import { startTestApp } from '../test/test-app';

/** Sends raw bytes, then either waits for the server to close or aborts after the last write. */
function raw(url: string, parts: string[], abort = false): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    let text = '';
    const done = () => {
      socket.destroy();
      resolve(text);
    };
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('close', done);
    socket.on('error', done);
    socket.on('connect', () => void (async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setImmediate(r));
      }
      if (abort) setTimeout(done, 20);
    })());
  });
}

const chunked = (path: string) => `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n`;
const bigChunk = `${(16 * 1024).toString(16)}\r\n${'x'.repeat(16 * 1024)}\r\n`;

describe('per-request finish hooks', () => {
  it('a hook that throws is logged, and the listener keeps serving', async () => {
    const log = memoryLogger();
    const router = new Router<undefined>().get('/ok', () => ({ ok: true }));
    const seen: string[] = [];
    const server = createListener<undefined>({
      name: 'test',
      router,
      log,
      applyHeaders: () => undefined,
      createState: () => undefined,
      onFinish: (_req, _res, peer) => {
        seen.push(peer);
        throw new Error('hook failed');
      },
    });
    const url = urlOf(await listen(server, 0, '127.0.0.1'));
    try {
      for (let i = 0; i < 3; i++) expect((await fetch(`${url}/ok`)).status).toBe(200);
      await raw(url, ['GET /ok HTTP/1.1\r\nhost: x\r\n\r\n'], true);
      await new Promise((r) => setTimeout(r, 20));
      expect((await fetch(`${url}/ok`)).status).toBe(200);
      expect(seen.length).toBeGreaterThanOrEqual(5);
      expect(seen.every((p) => p === '127.0.0.1' || p === '::ffff:127.0.0.1')).toBe(true);
      const failures = log.lines.filter((l) => l.level === 'error' && l.message === 'per-request finish hook failed');
      expect(failures.length).toBe(seen.length);
      expect(JSON.stringify(failures)).not.toContain('127.0.0.1');
    } finally {
      await close(server);
    }
  });

  it('runs once per request with the final status: ended at once, later by a promise, or failing', async () => {
    const router = new Router<undefined>()
      .get('/sync', () => ({ ok: true }))
      .get('/later', () => new Promise((r) => setTimeout(() => r({ ok: true }), 15)))
      .get('/fails', () => {
        throw new Error('boom');
      });
    const seen: string[] = [];
    const server = createListener<undefined>({
      name: 'test',
      router,
      log: memoryLogger(),
      applyHeaders: () => undefined,
      createState: () => undefined,
      onFinish: (req, res) => void seen.push(`${req.url} ${res.statusCode} ${res.writableEnded}`),
    });
    const url = urlOf(await listen(server, 0, '127.0.0.1'));
    try {
      const paths = ['/sync', '/later', '/fails', '/missing', '/sync'];
      expect(await Promise.all(paths.map(async (p) => (await fetch(`${url}${p}`)).status))).toEqual([200, 200, 500, 404, 200]);
      await new Promise((r) => setTimeout(r, 20));
      expect(seen.sort()).toEqual(['/fails 500 true', '/later 200 true', '/missing 404 true', '/sync 200 true', '/sync 200 true']);
    } finally {
      await close(server);
    }
  });

  it('seals a full record for requests whose socket is gone before the response closes', async () => {
    const app = await startTestApp();
    const id = createTestIdentity();
    const { keyRing } = app.services.sealing;
    await keyRing.activate(id.recipient, {});
    // A chunked body past the contact form's 8 KiB limit: 413 with connection: close.
    const refused = await raw(app.deliveryUrl, [chunked('/v1/contact'), bigChunk, '0\r\n\r\n']);
    expect(refused).toMatch(/^HTTP\/1\.1 413 /);
    // A client that goes away in the middle of its body.
    await raw(app.deliveryUrl, [chunked('/v1/contact?aborted'), '4000\r\n{"name":"'], true);
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`${app.deliveryUrl}/healthz`)).status).toBeLessThan(500);
    await app.stop();
    const records = (await unsealAll(path.join(app.dataDir, 'sealed'), id.identity)).flatMap((s) => s.records);
    expect(records.find((r) => r.url === '/v1/contact')).toMatchObject({ ip: '127.0.0.1', method: 'POST', status: 413 });
    expect(records.find((r) => r.url === '/v1/contact?aborted')).toMatchObject({ ip: '127.0.0.1', method: 'POST' });
    await app.dispose();
  });
});
