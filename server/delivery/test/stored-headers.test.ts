import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app';
import { json, refreshIndex, Seeder, testId } from './seed';

// Stored values that reach a response header (Location, CSP, Content-Type, ETag): rows written
// before today's validation, or by hand, must give a clean answer, never a 500.
let app: TestApp;
let seed: Seeder;
beforeAll(async () => {
  app = await startTestApp();
  seed = new Seeder(app.ctx.db);
});
afterAll(() => app.dispose());

async function decision(zoneId: string): Promise<{ clickUrl: string }> {
  const res = await fetch(`${app.deliveryUrl}/v1/decision?zone=${zoneId}`);
  expect(res.status).toBe(200);
  return json(res);
}

describe('click redirect on a stored landing URL', () => {
  it('redirects to the ASCII form of a URL stored raw (as an old row holds it)', async () => {
    const cases: Array<[string, string]> = [
      ['https://shop.example/€', 'https://shop.example/%E2%82%AC'],
      ['https://shop.example/☃?q=ä', 'https://shop.example/%E2%98%83?q=%C3%A4'],
      ['https://bücher.example/', 'https://xn--bcher-kva.example/'],
      ['https://shop.example/ü', 'https://shop.example/%C3%BC'],
    ];
    for (const [stored, location] of cases) {
      const s = seed.simple({}, { landingUrl: stored });
      await refreshIndex(app);
      const res = await fetch((await decision(s.zoneId)).clickUrl, { redirect: 'manual' });
      expect(res.status, stored).toBe(302);
      expect(res.headers.get('location')).toBe(location);
    }
  });

  it('answers a clean 404 in JSON, never a 500, when the stored URL cannot be followed', async () => {
    for (const stored of ['https://shop.example:99999/', 'javascript:alert(1)', 'https://user:pw@shop.example/', 'https://1.2.3.999/', '', '€']) {
      const s = seed.simple();
      await refreshIndex(app);
      const { clickUrl } = await decision(s.zoneId);
      // The URL goes bad after the ad was served (an old row, a hand edit): the click must still answer cleanly.
      app.ctx.db.prepare('UPDATE creatives SET landing_url = ? WHERE id = ?').run(stored, s.creativeId);
      await refreshIndex(app);
      const res = await fetch(clickUrl, { redirect: 'manual' });
      expect(res.status, stored).toBe(404);
      expect(res.headers.get('location')).toBeNull();
      expect((await json(res)).error.code).toBe('not_found');
      // And such a creative is not served at all.
      expect((await fetch(`${app.deliveryUrl}/v1/decision?zone=${s.zoneId}`)).status, stored).toBe(204);
    }
  });
});

describe('asset headers from the stored row', () => {
  it('serves a tampered content type as octet-stream and leaves out an ETag that cannot be one', async () => {
    const id = testId('asset');
    const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
    app.ctx.db
      .prepare("INSERT INTO assets (id, content_type, sha256, size, width, height, bytes, created_at) VALUES (?, 'image/gif€', 'ä\"x', ?, 1, 1, ?, ?)")
      .run(id, gif.length, gif, new Date().toISOString());
    const res = await fetch(`${app.deliveryUrl}/v1/assets/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('etag')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer()).equals(gif)).toBe(true);
  });
});

describe('frame CSP from the configured public URL', () => {
  it('names an IDN delivery host in punycode instead of failing every iframe placement', async () => {
    const idn = await startTestApp({ publicUrl: 'https://anzeigen-bücher€.example' });
    try {
      const s = new Seeder(idn.ctx.db).simple();
      await refreshIndex(idn);
      const res = await fetch(`${idn.deliveryUrl}/v1/zone/${s.zoneId}/frame`);
      expect(res.status).toBe(200);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain('img-src https://xn--anzeigen-bcher-');
      expect(csp).toMatch(/^[\x20-\x7e]+$/);
    } finally {
      await idn.dispose();
    }
  });
});
