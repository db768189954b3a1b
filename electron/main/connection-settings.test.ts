import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONNECTION_SETTINGS_FILE, loadConnectionSettings, parseServerOrigin, saveConnectionSettings, validateConnectionSettings } from './connection-settings';

const FP = `SHA256:${'ab'.repeat(32)}` as const;
let dir: string;
beforeEach(() => void (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-conn-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('parseServerOrigin', () => {
  it('accepts an https address and returns its ASCII origin', () => {
    expect(parseServerOrigin(' https://Ads.Example.eu/ ')).toEqual({ ok: true, origin: 'https://ads.example.eu' });
    expect(parseServerOrigin('https://ads.example.eu:8443')).toEqual({ ok: true, origin: 'https://ads.example.eu:8443' });
    expect(parseServerOrigin('https://bücher.example')).toEqual({ ok: true, origin: 'https://xn--bcher-kva.example' });
  });
  it.each([
    ['http://ads.example.eu', /https/],
    ['https://u:p@ads.example.eu', /user name/],
    ['https://ads.example.eu/console', /path/],
    ['https://ads.example.eu/?a=1', /path/],
    ['ads.example.eu', /valid/],
    ['', /Enter/],
    [42, /Enter/],
  ])('refuses %s', (raw, reason) => {
    const r = parseServerOrigin(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });
});

describe('validateConnectionSettings', () => {
  it('accepts both modes exactly', () => {
    expect(validateConnectionSettings({ mode: 'embedded', serveAdsToNetwork: false }).ok).toBe(true);
    expect(validateConnectionSettings({ mode: 'connect', adminOrigin: 'https://ads.example.eu', pinnedFingerprint: FP }).ok).toBe(true);
    expect(validateConnectionSettings({ mode: 'connect', adminOrigin: 'https://ads.example.eu', pinnedFingerprint: null }).ok).toBe(true);
  });
  it.each([
    [null],
    [[]],
    [{ mode: 'embedded' }],
    [{ mode: 'embedded', serveAdsToNetwork: 'yes' }],
    [{ mode: 'embedded', serveAdsToNetwork: false, extra: 1 }],
    [{ mode: 'remote', adminOrigin: 'https://a.example' }],
    [{ mode: 'connect', adminOrigin: 'http://a.example', pinnedFingerprint: null }],
    [{ mode: 'connect', adminOrigin: 'https://a.example/', pinnedFingerprint: null }],
    [{ mode: 'connect', adminOrigin: 'https://a.example', pinnedFingerprint: 'ab'.repeat(32) }],
    [{ mode: 'connect', adminOrigin: 'https://a.example', pinnedFingerprint: FP.toUpperCase() }],
    [{ mode: 'connect', adminOrigin: 'https://a.example' }],
  ])('refuses %j', (value) => expect(validateConnectionSettings(value).ok).toBe(false));
});

describe('load and save', () => {
  it('reports a first start, then round-trips what was saved with owner-only permissions', () => {
    expect(loadConnectionSettings(dir)).toEqual({ state: 'missing' });
    const settings = { mode: 'connect', adminOrigin: 'https://ads.example.eu', pinnedFingerprint: FP } as const;
    saveConnectionSettings(path.join(dir, 'nested'), settings);
    expect(loadConnectionSettings(path.join(dir, 'nested'))).toEqual({ state: 'ok', settings });
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, 'nested', CONNECTION_SETTINGS_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.join(dir, 'nested'))).toEqual([CONNECTION_SETTINGS_FILE]);
  });
  it('reports a broken or tampered file as invalid instead of falling back', () => {
    fs.writeFileSync(path.join(dir, CONNECTION_SETTINGS_FILE), '{not json');
    expect(loadConnectionSettings(dir)).toMatchObject({ state: 'invalid' });
    fs.writeFileSync(path.join(dir, CONNECTION_SETTINGS_FILE), JSON.stringify({ mode: 'connect', adminOrigin: 'http://evil.example', pinnedFingerprint: null }));
    expect(loadConnectionSettings(dir)).toMatchObject({ state: 'invalid', reason: expect.stringMatching(/https/) });
  });
  it('refuses to save invalid settings', () => {
    expect(() => saveConnectionSettings(dir, { mode: 'connect', adminOrigin: 'http://a.example', pinnedFingerprint: null })).toThrow(/invalid/);
    expect(fs.existsSync(path.join(dir, CONNECTION_SETTINGS_FILE))).toBe(false);
  });
});
