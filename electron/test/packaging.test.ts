import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const CONFIG = path.join(ROOT, 'build/electron-builder.yml');

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(file: string): { width: number; height: number } {
  const data = fs.readFileSync(file);
  expect(data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  expect(data.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema validation (offline, nothing downloaded)", async () => {
    const { getConfig, validateConfiguration } = await import('app-builder-lib/out/util/config/config');
    const { DebugLogger } = await import('builder-util');
    const config = await getConfig(ROOT, CONFIG, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.appId).toBe('eu.creative-engine.console');
    expect(config.productName).toBe('Creative Engine');
    // Source maps stay home; node_modules' production dependencies are added by electron-builder.
    // The IP→country table's two unused copies stay out (server/geo/country-table.ts reads the other two).
    expect(config.files).toEqual([
      {
        filter: [
          'dist/**',
          '!dist/**/*.map',
          'bin/**',
          'package.json',
          '!node_modules/@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-ipv4.csv',
          '!node_modules/@ip-location-db/geo-whois-asn-country/geo-whois-asn-country-ipv6-num.csv',
        ],
      },
    ]);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node']));
    expect(config.npmRebuild).toBe(true);
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
  });

  it('flips the fuses that keep the packaged binary from being used as a plain Node or loading another app', async () => {
    const { getConfig } = await import('app-builder-lib/out/util/config/config');
    const config = await getConfig(ROOT, CONFIG, null);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // With runAsNode off, nothing may rely on ELECTRON_RUN_AS_NODE any more.
    for (const file of ['electron/main/main.ts', 'electron/main/server-process.ts']) {
      expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).not.toMatch(/ELECTRON_RUN_AS_NODE|runAsNode/);
    }
  });

  it('ships the natives as dependencies (rebuilt for Electron) and Electron only as a dev dependency', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | string>;
    expect(pkg.main).toBe('dist/electron/main.cjs');
    // Besides the natives, only what reads its own files at run time and so is not bundled: the
    // IP→country table (CSV files) and pdfkit (its font data, through the package's own import map).
    expect(Object.keys(pkg.dependencies as object).sort()).toEqual(['@ip-location-db/geo-whois-asn-country', 'better-sqlite3', 'keytar', 'pdfkit']);
    expect(pkg.devDependencies).toHaveProperty('electron');
    expect((pkg.scripts as Record<string, string>).dist).toContain('electron-builder --config build/electron-builder.yml');
  });

  it('has the icon set: build/icon.png at 512×512 and the Linux sizes', () => {
    expect(pngSize(path.join(ROOT, 'build/icon.png'))).toEqual({ width: 512, height: 512 });
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(path.join(ROOT, `build/icons/${size}x${size}.png`))).toEqual({ width: size, height: size });
    }
  });
});
