import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { json, refreshIndex, Seeder, testClock } from '../delivery/test/seed';
import { startTestApp, type TestApp } from '../test/test-app';
import { createTestIdentity } from './test/test-identity';
import { unsealAll } from './test/unseal-for-tests';

// A full sealed-log disk under a running server, seen from outside over HTTP. Where a small tmpfs
// can be mounted (root), the disk really fills up (ENOSPC from the kernel); elsewhere the seal
// worker's writes fail with an injected ENOSPC (the segment writer's test seam).

const volume = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-full-disk-'));
// CE_TEST_INJECT_ENOSPC=1 forces the injected mode (to check that path where mounting works).
const forced = !!process.env.CE_TEST_INJECT_ENOSPC;
const mounted = !forced && tryMount(volume);
const MODE = mounted ? 'real ENOSPC on a 256 KiB tmpfs' : `injected ENOSPC (${forced ? 'forced by CE_TEST_INJECT_ENOSPC' : 'no tmpfs could be mounted'})`;
const sealedDir = path.join(volume, 'sealed');
const filler = path.join(volume, 'filler');
const BUFFER_RECORDS = 200;

function tryMount(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', volume], { stdio: 'ignore' });
  fs.rmSync(volume, { recursive: true, force: true });
});

/** Writes a file until the volume has no space left. */
function fillVolume(): void {
  const fd = fs.openSync(filler, 'w');
  try {
    const chunk = Buffer.alloc(4096, 1);
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
}

/** Every file under the sealed directory with its size (what a failing writer must not multiply). */
function sealedFiles(): string[] {
  return fs.readdirSync(sealedDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${path.relative(sealedDir, path.join(e.parentPath, e.name))}:${fs.statSync(path.join(e.parentPath, e.name)).size}`)
    .sort();
}

/** Polls until `check` holds (admin /api/health is not a delivery request, so polling adds no access record). */
async function waitFor(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  for (const until = Date.now() + ms; Date.now() < until; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface AdminHealth {
  ok: boolean;
  problems?: Array<{ component: string; code: string }>;
}

describe(`a full sealed-log disk (${MODE})`, () => {
  let app: TestApp;
  afterAll(() => app?.dispose());

  it('answers 503 on /healthz naming the cause, refuses delivery once the buffer is full, creates no files, and recovers without losing a buffered record', async () => {
    console.log(`full-disk test: ${MODE}`);
    const clock = testClock('2025-06-01T09:10:00Z');
    app = await startTestApp({ sealing: { dir: sealedDir, buffer: { records: BUFFER_RECORDS } } }, { now: clock.now });
    const id = createTestIdentity();
    const { keyRing, sealer } = app.services.sealing;
    await keyRing.activate(id.recipient, {});
    const ad = new Seeder(app.ctx.db, clock.now()).simple();
    await refreshIndex(app);
    const adminHealth = async () => json(await fetch(`${app.adminUrl}/api/health`)) as Promise<AdminHealth>;
    const hasProblem = (h: AdminHealth, code: string) => !!h.problems?.some((p) => p.component === 'sealed-log' && p.code === code);

    /** URLs of delivery requests that were served (not refused), in order: each must be sealed exactly once. */
    const served: string[] = [];
    const refused: string[] = [];
    let n = 0;
    const decide = async () => {
      const url = `/v1/decision?zone=${ad.zoneId}&n=${n++}`;
      const res = await fetch(`${app.deliveryUrl}${url}`);
      (res.status === 503 ? refused : served).push(url);
      return res;
    };

    const first = await decide();
    expect(first.status).toBe(200);
    const tokens = (await json(first)) as { impressionUrl: string; clickUrl: string };
    await decide();
    await sealer.drain();
    expect((await fetch(`${app.deliveryUrl}/healthz`)).status).toBe(200);

    // The disk fills up.
    if (mounted) fillVolume();
    else sealer.injectWriteFault('ENOSPC');
    const namesWhenFull = sealedFiles().map((f) => f.split(':')[0]);

    // Records keep coming; once the writer hits ENOSPC, /healthz says so (a frame or two may still fit in the last page).
    for (let round = 0; !hasProblem(await adminHealth(), 'disk_full'); round++) {
      expect(round).toBeLessThan(10);
      for (let i = 0; i < 8; i++) expect((await decide()).status).toBe(200);
      await waitFor('the writer to fail', async () => hasProblem(await adminHealth(), 'disk_full'), 2_000).catch(() => undefined);
    }
    const degraded = await fetch(`${app.deliveryUrl}/healthz`);
    expect(degraded.status).toBe(503);
    expect(degraded.headers.get('content-type')).toContain('application/json');
    const body = (await json(degraded)) as { status: string; problems: Array<Record<string, unknown>> };
    expect(body.status).toBe('degraded');
    expect(body.problems).toContainEqual({ component: 'sealed-log', code: 'disk_full', message: expect.stringMatching(/full/), since: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain(volume); // no paths on the public listener

    // Ads are still served while records fit the buffer, then refused with 503 instead of served unlogged.
    let refusedAt = -1;
    for (let i = 0; i < BUFFER_RECORDS + 10 && refusedAt < 0; i++) {
      const res = await decide();
      if (res.status === 503) refusedAt = i;
      else expect(res.status).toBe(200);
    }
    expect(refusedAt).toBeGreaterThan(0);
    const refusal = await decide();
    expect(refusal.status).toBe(503);
    expect(refusal.headers.get('retry-after')).toBe('10');
    expect(await json(refusal)).toEqual({ error: { code: 'unavailable', message: expect.stringMatching(/cannot record requests/) } });
    // Every delivery route is refused, /healthz stays reachable and names the full buffer.
    const routes: Array<[string, RequestInit?]> = [
      [`/v1/zone/${ad.zoneId}.js`], [`/v1/zone/${ad.zoneId}/frame`], [new URL(tokens.impressionUrl).pathname], [new URL(tokens.clickUrl).pathname],
      ['/v1/assets/ast_aaaaaaaaaaaaaaaa'],
      ['/v1/contact', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'A', email: 'a@example.test', message: 'hello' }) }],
    ];
    for (const [route, init] of routes) {
      const res = await fetch(`${app.deliveryUrl}${route}`, { redirect: 'manual', ...init });
      expect([route, res.status, res.headers.get('retry-after')]).toEqual([route, 503, '10']);
      await res.arrayBuffer();
    }
    const full = (await json(await fetch(`${app.deliveryUrl}/healthz`))) as { problems: Array<{ code: string }> };
    expect(full.problems.map((p) => p.code).sort()).toEqual(['buffer_full', 'disk_full']);
    const head = await fetch(`${app.deliveryUrl}/healthz`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([503, 'application/json; charset=utf-8', '']);

    // The writer retried all along without leaving new, empty or torn files behind.
    await new Promise((r) => setTimeout(r, 1_000));
    const filesAfter = sealedFiles();
    expect(filesAfter.map((f) => f.split(':')[0])).toEqual(namesWhenFull);
    expect(filesAfter.filter((f) => f.includes('.torn') || f.endsWith(':0'))).toEqual([]);

    // Space returns: everything recovers by itself.
    if (mounted) fs.rmSync(filler);
    else sealer.injectWriteFault(null);
    await waitFor('the server to be healthy again', async () => (await adminHealth()).ok);
    const healthy = await fetch(`${app.deliveryUrl}/healthz`);
    expect([healthy.status, await healthy.text()]).toEqual([200, 'ok']);
    expect((await decide()).status).toBe(200);
    expect((await decide()).status).toBe(200);
    await app.stop();

    // Every served request is sealed exactly once and in order; refused ones at most once; no segment was torn.
    const urls = (await unsealAll(sealedDir, id.identity)).flatMap((s) => s.records.map((r) => String(r.url))).filter((u) => u.includes('&n='));
    expect(urls.filter((u) => served.includes(u))).toEqual(served);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls.every((u) => served.includes(u) || refused.includes(u))).toBe(true);
    expect(sealedFiles().filter((f) => f.includes('.torn') || f.endsWith(':0'))).toEqual([]);
    expect(sealer.stats()).toMatchObject({ failedRecords: 0, bufferFull: false, writeError: null });
    console.log(`full-disk test: ${served.length} served requests sealed once each, ${refused.length} refused with 503 (first at buffered request ${refusedAt}), ${sealer.stats().droppedRecords} records of refused requests dropped`);
  }, 90_000);
});
