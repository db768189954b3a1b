import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app';
import { refreshIndex, Seeder, testId } from './seed';

let app: TestApp;
let seed: Seeder;
beforeAll(async () => {
  app = await startTestApp();
  seed = new Seeder(app.ctx.db);
});
afterAll(() => app.dispose());

describe('GET /v1/zone/ID.js', () => {
  it('serves a tag that renders without document.write and names only first-party URLs', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const res = await fetch(`${app.deliveryUrl}/v1/zone/${s.zoneId}.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const js = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(js));
    expect(js).not.toMatch(/document\.write/);
    expect(js).toContain('document.currentScript');
    expect(js).toContain(JSON.stringify(s.zoneId));
    expect(js).toContain('credentials: "omit"');
    const urls = js.match(/https?:\/\/[^"'\s)]+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) expect(u.startsWith(app.deliveryUrl), u).toBe(true);
    expect(() => new Function(js)).not.toThrow(); // valid JavaScript
  });

  it('embeds validated keywords from the tag URL', async () => {
    const s = seed.simple();
    await refreshIndex(app);
    const js = await (await fetch(`${app.deliveryUrl}/v1/zone/${s.zoneId}.js?kw=Sport,news`)).text();
    expect(js).toContain('"sport,news"');
    expect((await fetch(`${app.deliveryUrl}/v1/zone/${s.zoneId}.js?kw=%3Cscript%3E`)).status).toBe(400);
  });

  it('answers 400 for a malformed zone, 404 for an unknown zone or a path without .js', async () => {
    expect((await fetch(`${app.deliveryUrl}/v1/zone/nope.js`)).status).toBe(400);
    expect((await fetch(`${app.deliveryUrl}/v1/zone/${testId('zone')}.js`)).status).toBe(404);
    const s = seed.simple();
    await refreshIndex(app);
    expect((await fetch(`${app.deliveryUrl}/v1/zone/${s.zoneId}`)).status).toBe(404);
    expect((await fetch(`${app.deliveryUrl}/v1/zone/${s.zoneId}.css`)).status).toBe(404);
  });
});

describe('GET /v1/zone/ID/frame', () => {
  it('serves a sandboxed document with the linked image and an impression pixel', async () => {
    const s = seed.simple({}, { alt: 'Cheap "flights" & <more>' });
    await refreshIndex(app);
    const res = await fetch(`${app.deliveryUrl}/v1/zone/${s.zoneId}/frame`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`img-src ${app.deliveryUrl}`);
    expect(csp).toContain('sandbox allow-scripts allow-popups allow-popups-to-escape-sandbox');
    const html = await res.text();
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(html));
    // Exactly one script, the viewability measurement, allowed by its hash and nothing broader.
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    const hash = `'sha256-${createHash('sha256').update(scripts[0]!).digest('base64')}'`;
    expect(csp.split('; ')).toContain(`script-src ${hash}`);
    expect(csp).not.toMatch(/unsafe-inline'?[^;]*script|script-src[^;]*(unsafe|\*|https?:)/);
    expect(html).toContain('alt="Cheap &#34;flights&#34; &#38; &#60;more&#62;"');
    const click = html.match(/<a href="([^"]+)" target="_blank" rel="noopener"><img src="([^"]+)"/);
    expect(click).not.toBeNull();
    expect(click![1]).toMatch(new RegExp(`^${app.deliveryUrl}/v1/click/`));
    expect(click![2]).toMatch(new RegExp(`^${app.deliveryUrl}/v1/assets/`));
    const pixel = html.match(/<img src="([^"]+\/v1\/imp\/[^"]+)" alt="" width="1" height="1"/);
    expect(pixel).not.toBeNull();
    expect((await fetch(pixel![1]!)).status).toBe(200);
    const redirect = await fetch(click![1]!, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
  });

  it('puts HTML creatives in the document with the click URL filled in', async () => {
    const s = seed.simple({}, { html: '<a href="%%CLICK_URL%%" target="_blank">Go</a>' });
    await refreshIndex(app);
    const html = await (await fetch(`${app.deliveryUrl}/v1/zone/${s.zoneId}/frame`)).text();
    expect(html).toMatch(new RegExp(`<a href="${app.deliveryUrl}/v1/click/[A-Za-z0-9_-]+" target="_blank">Go</a>`));
  });

  it('serves an empty document when nothing is eligible, and 400/404 for bad zones', async () => {
    const s = seed.simple({ status: 'paused' });
    await refreshIndex(app);
    const res = await fetch(`${app.deliveryUrl}/v1/zone/${s.zoneId}/frame`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<body></body>');
    expect((await fetch(`${app.deliveryUrl}/v1/zone/zzz/frame`)).status).toBe(400);
    expect((await fetch(`${app.deliveryUrl}/v1/zone/${testId('zone')}/frame`)).status).toBe(404);
  });
});
