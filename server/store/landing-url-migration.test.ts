import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { refreshIndex, Seeder } from '../delivery/test/seed';
import { signInAs } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { openDatabase } from './database';
import { MIGRATIONS } from './migrations';
import { UNUSABLE_LANDING_MARK } from './migrations/032-landing-urls';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-m032-'));
let app: TestApp | undefined;
afterAll(async () => {
  await app?.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(`${dataDir}.data-key`, { force: true });
});

describe('migration 032: stored landing URLs', () => {
  it('normalises what it can, pauses and marks what it cannot, and leaves good rows alone', async () => {
    // A store as the release before this migration left it, with rows its old check let through.
    const old = openDatabase(dataDir, MIGRATIONS.filter((m) => m.version < 32));
    const seed = new Seeder(old, new Date());
    const stamp = seed.now.toISOString();
    const rows = {
      euro: seed.simple({}, { landingUrl: 'https://shop.example/€' }),
      snowman: seed.simple({}, { landingUrl: 'https://shop.example/☃?q=ä' }),
      idn: seed.simple({}, { landingUrl: 'https://bücher.example/' }),
      good: seed.simple({}, { landingUrl: 'https://advertiser.example/offer?x=1' }),
      port: seed.simple({}, { landingUrl: 'https://shop.example:99999/' }),
      credentials: seed.simple({}, { landingUrl: 'https://user:pw@shop.example/' }),
    };
    old.close();

    app = await startTestApp({ dataDir });
    const db = app.ctx.db;
    expect(db.prepare('SELECT name FROM schema_migrations WHERE version = 32').pluck().get()).toBe('landing-urls');
    const row = (id: string) => db.prepare('SELECT name, status, landing_url AS landingUrl, updated_at AS updatedAt FROM creatives WHERE id = ?').get(id) as Record<string, string>;
    expect(row(rows.euro.creativeId)).toMatchObject({ landingUrl: 'https://shop.example/%E2%82%AC', status: 'active', name: 'Test creative' });
    expect(row(rows.snowman.creativeId).landingUrl).toBe('https://shop.example/%E2%98%83?q=%C3%A4');
    expect(row(rows.idn.creativeId).landingUrl).toBe('https://xn--bcher-kva.example/');
    expect(row(rows.euro.creativeId).updatedAt).not.toBe(stamp);
    expect(row(rows.good.creativeId)).toEqual({ landingUrl: 'https://advertiser.example/offer?x=1', status: 'active', name: 'Test creative', updatedAt: stamp });
    for (const bad of [rows.port, rows.credentials]) {
      const r = row(bad.creativeId);
      expect(r.status).toBe('paused');
      expect(r.name).toBe(`${UNUSABLE_LANDING_MARK}Test creative`);
      expect(r.landingUrl).toMatch(/^https:\/\/(user:pw@)?shop\.example(:99999)?\/$/); // kept, for staff to see and correct
    }

    // Staff see why in the console, and the rewritten rows serve and redirect.
    const manager = await signInAs(app, 'manager');
    expect((await manager.get(`/api/creatives/${rows.port.creativeId}`)).body).toMatchObject({ status: 'paused', name: `${UNUSABLE_LANDING_MARK}Test creative` });
    await refreshIndex(app);
    const decision = await fetch(`${app.deliveryUrl}/v1/decision?zone=${rows.euro.zoneId}`);
    const click = await fetch(((await decision.json()) as { clickUrl: string }).clickUrl, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://shop.example/%E2%82%AC');
    expect((await fetch(`${app.deliveryUrl}/v1/decision?zone=${rows.port.zoneId}`)).status).toBe(204);
  });
});
