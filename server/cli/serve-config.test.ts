import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_KEY_FILE_ENV, dataKeyFileFrom } from '../privacy/data-key';
import { startTestApp } from '../test/test-app';
import { parseFlags, UsageError } from '../command/args';
import { configFromFlags, SERVE_FLAGS } from './serve-config';

const flags = (...argv: string[]) => parseFlags(argv, SERVE_FLAGS);
const outside = path.join(os.tmpdir(), 'ce-elsewhere');

describe('configFromFlags', () => {
  it('groups every setting by concern, from flags and environment', () => {
    const config = configFromFlags(
      flags('--data', '/srv/ce', '--sealed-dir', '/logs', '--seal-buffer-mb', '2', '--sealed-retention-days', '30', '--mail-from', 'privacy@agency.example',
        '--backup-dir', outside, '--backup-every', '6', '--backup-keep', '3', '--personal-data-retention', 'contact=30d'),
      { CREATIVE_ENGINE_SMTP_URL: 'smtp://mail.example:25', [DATA_KEY_FILE_ENV]: '/keys/data.key', CREATIVE_ENGINE_CASE_TTL: '36h', CREATIVE_ENGINE_CASE_MAX_RECORDS: '1000', CREATIVE_ENGINE_TIME_ZONE: ' America/New_York ' },
    );
    expect(config.dataDir).toBe('/srv/ce');
    expect(config.sealing).toEqual({ dir: '/logs', buffer: { bytes: 2 << 20, records: undefined }, retention: { days: 30 } });
    expect(config.privacy).toEqual({ dataKeyFile: '/keys/data.key', retention: { contactDays: 30 } });
    expect(config.mail).toEqual({ url: 'smtp://mail.example:25', from: 'privacy@agency.example' });
    expect(config.backup).toEqual({ dir: outside, everyHours: 6, keep: 3 });
    expect(config.cases).toEqual({ ttlMs: 36 * 3_600_000, maxRecords: 1000 });
    expect(config.timeZone).toBe('America/New_York');
  });

  it('takes the data directory from CREATIVE_ENGINE_DATA and defaults the rest', () => {
    const config = configFromFlags(flags(), { CREATIVE_ENGINE_DATA: '/var/lib/ce' });
    expect(config.dataDir).toBe('/var/lib/ce');
    expect(config.sealing.dir).toBe('/var/lib/ce/sealed');
    expect(config.cases).toEqual({ ttlMs: 7 * 86_400_000, maxRecords: 500_000 });
    expect([config.mail, config.backup, config.timeZone, config.privacy?.dataKeyFile]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('places the portal: this computer only without TLS, public under TLS, off with --no-portal', () => {
    expect(configFromFlags(flags(), {}).portal).toEqual({ host: '127.0.0.1', port: 8082 });
    expect(configFromFlags(flags('--tls'), {}).portal).toEqual({ host: '0.0.0.0', port: 8443 });
    expect(configFromFlags(flags('--tls-cert', '/c.pem', '--tls-key', '/k.pem', '--portal-port', '0'), {}).portal).toEqual({ host: '0.0.0.0', port: 0 });
    expect(configFromFlags(flags('--portal-host', '::1', '--portal-port', '9443'), {}).portal).toEqual({ host: '::1', port: 9443 });
    expect(configFromFlags(flags('--no-portal'), {}).portal).toBeNull();
    expect(() => configFromFlags(flags('--no-portal', '--portal-port', '1'), {})).toThrow(/--no-portal turns the portal off/);
    expect(() => configFromFlags(flags('--portal-port', 'x'), {})).toThrow(UsageError);
  });

  it('takes the portal’s public origin for invitation links from --portal-public-url', () => {
    expect(configFromFlags(flags(), {}).portalPublicUrl).toBeUndefined();
    expect(configFromFlags(flags('--portal-public-url', 'https://Kunden.Agency.example/'), {}).portalPublicUrl).toBe('https://kunden.agency.example');
    expect(() => configFromFlags(flags('--portal-public-url', 'https://kunden.agency.example/portal'), {})).toThrow(/--portal-public-url must be an http\(s\) origin/);
    expect(() => configFromFlags(flags('--no-portal', '--portal-public-url', 'https://kunden.agency.example'), {})).toThrow(/leave out --portal-public-url/);
  });

  it('turns reach on with --reach or CREATIVE_ENGINE_REACH, off by default', () => {
    expect(configFromFlags(flags(), {}).reach).toBe(false);
    expect(configFromFlags(flags('--reach'), {}).reach).toBe(true);
    expect(configFromFlags(flags(), { CREATIVE_ENGINE_REACH: 'on' }).reach).toBe(true);
    expect(configFromFlags(flags(), { CREATIVE_ENGINE_REACH: '0' }).reach).toBe(false);
    expect(() => configFromFlags(flags(), { CREATIVE_ENGINE_REACH: 'yes please' })).toThrow(new UsageError('CREATIVE_ENGINE_REACH must be 1 or 0 (on or off), not "yes please".'));
  });

  it('refuses bad settings with the messages serve always gave', () => {
    expect(() => configFromFlags(flags('--mail-from', 'a@b.example'), {})).toThrow(new UsageError('--mail-from needs --smtp-url.'));
    expect(() => configFromFlags(flags('--backup-dir', outside), {})).toThrow(/need all of --backup-dir, --backup-every HOURS and --backup-keep N/);
    expect(() => configFromFlags(flags('--data', '/d', '--backup-dir', '/d/b', '--backup-every', '1', '--backup-keep', '1'), {})).toThrow(/--backup-dir must be outside the data directory/);
    expect(() => configFromFlags(flags('--sealed-retention-months', '4'), {})).toThrow(UsageError);
    expect(() => configFromFlags(flags(), { CREATIVE_ENGINE_CASE_TTL: '40d' })).toThrow('CREATIVE_ENGINE_CASE_TTL must be a duration from 1m to 31d such as 7d or 36h, not "40d".');
    expect(() => configFromFlags(flags(), { CREATIVE_ENGINE_CASE_MAX_RECORDS: '0' })).toThrow('CREATIVE_ENGINE_CASE_MAX_RECORDS must be a positive number, not "0".');
  });

  it('takes the data key file from the flag before the environment', () => {
    expect(dataKeyFileFrom('/a/key', { [DATA_KEY_FILE_ENV]: '/b/key' })).toBe('/a/key');
    expect(dataKeyFileFrom(undefined, { [DATA_KEY_FILE_ENV]: '/b/key' })).toBe('/b/key');
    expect(dataKeyFileFrom(undefined, { [DATA_KEY_FILE_ENV]: '' })).toBeUndefined();
  });
});

describe('the server reads its settings from ServerConfig only', () => {
  it('starts with the given config whatever the environment says', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { CREATIVE_ENGINE_CASE_TTL: 'forever', CREATIVE_ENGINE_CASE_MAX_RECORDS: 'none', CREATIVE_ENGINE_SMTP_URL: 'not a url' });
    try {
      const app = await startTestApp({ cases: { ttlMs: 60_000, maxRecords: 5 } });
      await app.dispose();
    } finally {
      for (const k of ['CREATIVE_ENGINE_CASE_TTL', 'CREATIVE_ENGINE_CASE_MAX_RECORDS', 'CREATIVE_ENGINE_SMTP_URL']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });
});
