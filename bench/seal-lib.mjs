// Shared by bench/seal.mjs and bench/seal-generate.mjs: loads the sealing code from the TypeScript
// sources (bundled once with esbuild into the temp directory) and generates realistic access records.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The sealing modules (FrameSink, Sealer, AgeX25519Encryptor, accessRecordLine, reader, test identity, worker script). */
export async function loadSealing() {
  const entry = `
    export { FrameSink } from './frame-sink';
    export { Sealer } from './sealer';
    export { accessRecordLine, formatRecords } from './access-record';
    export { AgeX25519Encryptor } from './age-encrypt';
    export { listSegments, readSegment, checkSegment } from './segment-reader';
    export { hourKey, hourBucket } from './segment-names';
    export { createTestIdentity } from './test/test-identity';
    export { sealWorkerScript } from './worker-script';
  `;
  const result = await build({
    stdin: { contents: entry, resolveDir: path.join(root, 'server/sealing'), loader: 'ts', sourcefile: 'bench-entry.ts' },
    bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'warning',
    // worker-script.ts finds the worker from its own location; keep that pointing at the sources.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(path.join(root, 'server/sealing/worker-script.ts')).href) },
  });
  const code = result.outputFiles[0].contents;
  // Inside node_modules/.cache so the bundle's own imports (esbuild, for the worker) resolve.
  const dir = path.join(root, 'node_modules', '.cache', 'creative-engine-bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `sealing-${createHash('sha256').update(code).digest('hex').slice(0, 12)}.mjs`);
  fs.writeFileSync(file, code);
  return import(pathToFileURL(file).href);
}

/** The fixed benchmark identity (public test key; never use it for real logs). */
export const BENCH_SECRET = createHash('sha256').update('creative-engine sealed-log benchmark key').digest();
export const BENCH_KEY_ID = 'sk_bench';

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67',
  'Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  'okhttp/4.12.0',
];
const SITES = ['news-daily', 'sportblog', 'recipes-online', 'techreview', 'citymagazine', 'weather-now'];

/** A deterministic pseudo-random generator (xorshift32), so runs are comparable. */
export function rng(seed = 1) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
}

const b64url = (rand, n) => {
  const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let s = '';
  for (let i = 0; i < n; i++) s += a[Math.floor(rand() * 64)];
  return s;
};
const zoneId = (rand) => `zon_${b64url(rand, 16).toLowerCase().replace(/[^a-z2-7]/g, 'a')}`;

/**
 * `n` realistic delivery access records at times from `from` over `spanMs`: tags, decisions,
 * impression pixels and clicks with signed tokens, IPv4 and IPv6 clients, referrers, user agents.
 */
export function makeRecords(n, { from = Date.parse('2025-03-10T00:00:00Z'), spanMs = 3_600_000, seed = 7 } = {}) {
  const rand = rng(seed);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const kind = rand();
    const v6 = rand() < 0.3;
    const ip = v6
      ? `2001:db8:${Math.floor(rand() * 65536).toString(16)}:${Math.floor(rand() * 65536).toString(16)}::${Math.floor(rand() * 65536).toString(16)}`
      : `${10 + Math.floor(rand() * 200)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`;
    let url;
    let status = 200;
    let bytes;
    if (kind < 0.35) {
      url = `/v1/zone/${zoneId(rand)}.js`;
      bytes = 1400 + Math.floor(rand() * 400);
    } else if (kind < 0.6) {
      url = `/v1/decision?zone=${zoneId(rand)}&kw=sports,local`;
      bytes = 380;
      if (rand() < 0.1) status = 204;
    } else if (kind < 0.92) {
      url = `/v1/imp/${b64url(rand, 104)}`;
      bytes = 43;
    } else if (kind < 0.97) {
      url = `/v1/click/${b64url(rand, 104)}`;
      bytes = 0;
      status = 302;
    } else {
      url = `/v1/zone/${zoneId(rand)}/frame`;
      bytes = 900;
      if (rand() < 0.2) status = 404;
    }
    const site = SITES[Math.floor(rand() * SITES.length)];
    out[i] = {
      t: from + Math.floor((i / n) * spanMs),
      ip, method: 'GET', url, status, bytes,
      referrer: rand() < 0.8 ? `https://www.${site}.example/articles/${Math.floor(rand() * 100000)}` : undefined,
      userAgent: rand() < 0.97 ? UAS[Math.floor(rand() * UAS.length)] : undefined,
    };
  }
  return out;
}
