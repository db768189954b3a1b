import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isInstallationId, type ServerInfo } from '../../common/schemas/server-info';
import { packageRoot } from '../config';
import { startTestApp, type TestApp } from '../test/test-app';

const apps: TestApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.dispose()));
  for (const d of dirs.splice(0)) {
    fs.rmSync(d, { recursive: true, force: true });
    fs.rmSync(`${d}.data-key`, { force: true });
  }
});

async function info(app: TestApp): Promise<ServerInfo> {
  const res = await fetch(`${app.adminUrl}/api/server-info`);
  expect(res.status).toBe(200);
  return (await res.json()) as ServerInfo;
}

describe('GET /api/server-info', () => {
  it('answers without a session: the installation id, name and the package version', async () => {
    const app = await startTestApp();
    apps.push(app);
    const body = await info(app);
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    expect(Object.keys(body).sort()).toEqual(['installationId', 'name', 'version']);
    expect(isInstallationId(body.installationId)).toBe(true);
    expect(body.name).toBe('Creative Engine');
    expect(body.version).toBe(pkg.version);
  });

  it('keeps the installation id when the server restarts on other ports; another store has another id', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-info-'));
    dirs.push(dataDir);
    const first = await startTestApp({ dataDir });
    const id = (await info(first)).installationId;
    const firstUrl = first.adminUrl;
    await first.stop();
    const second = await startTestApp({ dataDir });
    apps.push(second);
    expect(second.adminUrl).not.toBe(firstUrl);
    expect((await info(second)).installationId).toBe(id);
    const other = await startTestApp();
    apps.push(other);
    expect((await info(other)).installationId).not.toBe(id);
  });
});
