import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintOfPem } from './certificate-pinning';
import { loadConnectionSettings, saveConnectionSettings, type ConnectionSettings } from './connection-settings';
import { probeServer } from './server-probe';
import { createSetupHandlers, isSetupSender, SETUP_URL } from './setup-ipc';
import { makeCert } from '../../node/test/make-cert';

const INFO = { installationId: `ins_${'b'.repeat(32)}`, name: 'Agency', version: '0.1.0' };
let dir: string;
let cert: string;
let server: https.Server;
let origin: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-setup-ipc-'));
  const pair = makeCert(['localhost']);
  cert = pair.certPem;
  server = https.createServer({ cert, key: pair.keyPem }, (_req, res) => res.end(JSON.stringify(INFO)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://localhost:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

function setup(userData: string, ca?: string) {
  const chosen: ConnectionSettings[] = [];
  const handlers = createSetupHandlers({
    current: () => {
      const loaded = loadConnectionSettings(userData);
      return loaded.state === 'ok' ? loaded.settings : null;
    },
    probe: (url) => probeServer(url, { ca }),
    save: (s) => saveConnectionSettings(userData, s),
    chosen: (s) => void chosen.push(s),
  });
  return { handlers, chosen };
}

describe('setup IPC handlers', () => {
  it('probes a self-signed server, then pins exactly the fingerprint it saw', async () => {
    const userData = path.join(dir, 'u1');
    const { handlers, chosen } = setup(userData);
    expect(await handlers['Setup:current'](SETUP_URL)).toEqual({ ok: true, value: null });
    const probe = await handlers['Setup:probe'](SETUP_URL, origin);
    expect(probe).toMatchObject({ ok: true, value: { adminOrigin: origin, name: 'Agency', caTrusted: false, fingerprint: fingerprintOfPem(cert) } });
    // Without a CA, "don't pin" is not an option: the pin is set anyway.
    expect(await handlers['Setup:connect'](SETUP_URL, origin, fingerprintOfPem(cert), false)).toEqual({ ok: true, value: { saved: true } });
    const expected = { mode: 'connect', adminOrigin: origin, pinnedFingerprint: fingerprintOfPem(cert) };
    expect(chosen).toEqual([expected]);
    expect(loadConnectionSettings(userData)).toEqual({ state: 'ok', settings: expected });
    expect(await handlers['Setup:current'](SETUP_URL)).toEqual({ ok: true, value: expected });
  });
  it('refuses a fingerprint or origin the probe did not see, and connecting without a probe', async () => {
    const { handlers, chosen } = setup(path.join(dir, 'u2'));
    expect(await handlers['Setup:connect'](SETUP_URL, origin, fingerprintOfPem(cert), true)).toMatchObject({ ok: false, message: /Check the server again/ });
    await handlers['Setup:probe'](SETUP_URL, origin);
    expect(await handlers['Setup:connect'](SETUP_URL, origin, `SHA256:${'0'.repeat(64)}`, true)).toMatchObject({ ok: false });
    expect(await handlers['Setup:connect'](SETUP_URL, 'https://other.example', fingerprintOfPem(cert), true)).toMatchObject({ ok: false });
    expect(chosen).toEqual([]);
  });
  it('with a CA-trusted certificate, pins only when asked', async () => {
    const { handlers, chosen } = setup(path.join(dir, 'u3'), cert);
    await handlers['Setup:probe'](SETUP_URL, origin);
    await handlers['Setup:connect'](SETUP_URL, origin, fingerprintOfPem(cert), false);
    expect(chosen[0]).toEqual({ mode: 'connect', adminOrigin: origin, pinnedFingerprint: null });
  });
  it('saves the embedded choice with the network setting', async () => {
    const { handlers, chosen } = setup(path.join(dir, 'u4'));
    expect(await handlers['Setup:chooseEmbedded'](SETUP_URL, 'yes')).toMatchObject({ ok: false });
    expect(await handlers['Setup:chooseEmbedded'](SETUP_URL, true)).toEqual({ ok: true, value: { saved: true } });
    expect(chosen).toEqual([{ mode: 'embedded', serveAdsToNetwork: true }]);
  });
  it('answers only the setup page', async () => {
    const { handlers } = setup(path.join(dir, 'u5'));
    for (const url of ['https://evil.example/', 'ce-setup://setup/other.html', 'ce-setup://setup.evil/index.html', '']) {
      expect(isSetupSender(url)).toBe(false);
      expect(await handlers['Setup:chooseEmbedded'](url, false)).toMatchObject({ ok: false, message: /Not allowed/ });
    }
    expect(isSetupSender(SETUP_URL)).toBe(true);
  });
  it('reports an unreachable server plainly', async () => {
    const { handlers } = setup(path.join(dir, 'u6'));
    expect(await handlers['Setup:probe'](SETUP_URL, 'http://x.example')).toMatchObject({ ok: false, message: /https/ });
  });
});
