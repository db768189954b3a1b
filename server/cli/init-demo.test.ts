import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageInfo } from '../catalog/image-info';
import { packageRoot } from '../config';
import { signIn } from '../test/admin-client';
import { findPlainText } from '../test/find-plain-text';
import { startTestApp } from '../test/test-app';

const root = packageRoot();
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-cli-'));
  dirs.push(dir);
  return dir;
};

// Without the keychain session of scripts/test.sh the data key goes to the file startTestApp uses too.
const KEY_FILE_NOTE = /^\S+ WARN {2}the data key is read from a key file.*\n/m;

/** Runs the built CLI; returns exit code and output. */
function cli(args: string[], input = '') {
  const data = args[args.indexOf('--data') + 1];
  const env = !process.env.CE_KEYRING_READY && args.includes('--data') && data ? { ...process.env, CREATIVE_ENGINE_DATA_KEY_FILE: `${path.resolve(data)}.data-key` } : process.env;
  const r = spawnSync(process.execPath, [path.join(root, 'bin/creative-engine.js'), ...args], { input, encoding: 'utf8', timeout: 60_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(KEY_FILE_NOTE, '') };
}

afterAll(() => {
  for (const dir of dirs) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(`${dir}.data-key`, { force: true });
  }
});

const PASSWORD = 'a good long admin password';

describe('creative-engine init', () => {
  it('prints help and refuses bad arguments with one line and a non-zero exit', () => {
    const help = cli(['init', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('init --data DIR --admin-email E --password-stdin');
    for (const args of [['init'], ['init', '--data', tempDir()], ['init', '--data', tempDir(), '--admin-email', 'nope', '--password-stdin'], ['init', '--bogus']]) {
      const r = cli(args, PASSWORD);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^creative-engine init: /);
    }
    const short = cli(['init', '--data', tempDir(), '--admin-email', 'a@b.example', '--password-stdin'], 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('at least 12 characters');
  });

  it('creates the store and the first admin, who can sign in; refuses a second run', async () => {
    const data = tempDir();
    const r = cli(['init', '--data', data, '--admin-email', 'Boss@Agency.Example', '--password-stdin', '--name', 'The Boss'], `${PASSWORD}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/admin account usr_[a-z2-7]{16}/);
    expect(r.stdout).not.toContain(PASSWORD);
    const again = cli(['init', '--data', data, '--admin-email', 'other@agency.example', '--password-stdin'], PASSWORD);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already has accounts');
    // Staff e-mails are encrypted from the first account on: none is in the data directory in plain text.
    const emails = ['boss@agency.example', 'Boss@Agency.Example', 'zweite.zx87@agency.example', 'Zweite.ZX87@Agency.Example'];
    expect(findPlainText(data, emails)).toEqual([]);

    const app = await startTestApp({ dataDir: data });
    try {
      const admin = await signIn(app, 'boss@agency.example', PASSWORD);
      expect(admin.user).toMatchObject({ name: 'The Boss', roles: ['admin'] });
      expect((await admin.get('/api/users')).body.total).toBe(1);
      expect((await admin.post('/api/users', { email: 'Zweite.ZX87@Agency.Example', name: 'Zweite', password: PASSWORD, roles: ['manager'] })).status).toBe(201);
      expect(app.ctx.audit.verify()).toMatchObject({ ok: true });
      expect(findPlainText(data, emails)).toEqual([]);
      app.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
      expect(findPlainText(data, emails)).toEqual([]);
    } finally {
      await app.stop();
    }
    expect(findPlainText(data, emails)).toEqual([]);
  });
});

describe('creative-engine demo', () => {
  it('loads the labelled demo set once, prints zone ids and tags, and it delivers from the store', async () => {
    expect(cli(['demo', '--help']).stdout).toContain('demo --data DIR');
    expect(cli(['demo']).code).toBe(2);
    expect(cli(['demo', '--data', tempDir(), '--public-url', 'ftp://x']).code).toBe(2);
    const data = tempDir();
    expect(cli(['init', '--data', data, '--admin-email', 'boss@agency.example', '--password-stdin'], PASSWORD).code).toBe(0);
    const r = cli(['demo', '--data', data, '--public-url', 'https://ads.agency.example']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const zoneIds = [...r.stdout.matchAll(/^zone (zon_[a-z2-7]{16})/gm)].map((m) => m[1]!);
    expect(zoneIds).toHaveLength(2);
    expect(r.stdout).toContain(`<script src="https://ads.agency.example/v1/zone/${zoneIds[0]}.js"></script>`);
    expect(r.stdout).toContain(`<iframe src="https://ads.agency.example/v1/zone/${zoneIds[1]}/frame" width="728" height="90"`);
    const twice = cli(['demo', '--data', data]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('already loaded');

    const app = await startTestApp({ dataDir: data });
    try {
      const admin = await signIn(app, 'boss@agency.example', PASSWORD);
      const customers = (await admin.get('/api/customers')).body;
      expect(customers.items.map((c: { name: string; kind: string }) => [c.name, c.kind]).sort()).toEqual([
        ['Demo – Advertiser GmbH', 'advertiser'],
        ['Demo – Publisher Media', 'publisher'],
      ]);
      const zones = (await admin.get('/api/zones')).body.items;
      expect(zones.map((z: { width: number; height: number }) => `${z.width}x${z.height}`).sort()).toEqual(['300x250', '728x90']);
      const campaigns = (await admin.get('/api/campaigns')).body.items;
      expect(campaigns).toHaveLength(2);
      const now = Date.now();
      for (const c of campaigns) {
        expect(c).toMatchObject({ status: 'active', targeting: {} });
        expect(c.name).toMatch(/^Demo – /);
        expect(Date.parse(c.startsAt)).toBeLessThan(now);
        expect(Date.parse(c.endsAt)).toBeGreaterThan(now + 29 * 24 * 3600 * 1000);
        expect([...c.zoneIds].sort()).toEqual([...zoneIds].sort());
      }
      const creatives = (await admin.get('/api/creatives')).body.items;
      expect(creatives).toHaveLength(4);
      for (const creative of creatives) {
        const res = await fetch(creative.imageUrl);
        expect(res.headers.get('content-type')).toBe('image/png');
        const info = readImageInfo(Buffer.from(await res.arrayBuffer()));
        expect(info).toEqual({ type: 'image/png', width: creative.width, height: creative.height });
      }
      expect(app.ctx.audit.verify()).toMatchObject({ ok: true });
    } finally {
      await app.stop();
    }
  });
});
