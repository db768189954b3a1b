import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.dispose());

describe('GET /v1/tag.js (the page tag; its behaviour in Chromium: renderer/test/page-tag.test.ts)', () => {
  it('is under 3 KB gzip, cacheable, valid JavaScript without document.write, naming only the delivery server', async () => {
    const res = await fetch(`${app.deliveryUrl}/v1/tag.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('set-cookie')).toBeNull();
    const js = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(js));
    // The budget of the issue, gzipped as a server would (default level) and at its best.
    expect(gzipSync(js).length).toBeLessThan(3072);
    expect(gzipSync(js, { level: 9 }).length).toBeLessThan(3072);
    expect(js).not.toMatch(/document\.write|eval\(|new Function/);
    expect(js).toContain('credentials:"omit"');
    expect(js).toContain('ins[data-ce-zone]');
    const urls = js.match(/https?:\/\/[^"'\s)\\]+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u.startsWith(app.deliveryUrl), u).toBe(true);
    expect(() => new Function(js)).not.toThrow();
    // The same script on the next request (built once per base URL).
    expect(await (await fetch(`${app.deliveryUrl}/v1/tag.js`)).text()).toBe(js);
  });
});
