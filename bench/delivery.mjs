// npm run bench: the delivery benchmark. Starts the built server (bin/creative-engine.js serve) on a
// temporary data directory loaded with the demo data, and a bare node:http server, both pinned to
// core 0; drives each in turn with the same load from core 1 (wrk, else autocannon), 127.0.0.1 only;
// prints requests/s and p50/p99 latency for the bare server, /v1/decision, a page of 8 placements
// (/v1/decision?zones=…, with placements/s), /v1/imp, /v1/click and /v1/view (tokens collected
// first, like imp), the page tag's size raw and gzipped, the ratio decision/bare
// (target ≥ 0.70) and the server's memory after the run. For the page the bench adds 8 zones and
// 8 campaigns (copies of the demo's first campaign and its 300×250 creative) to the demo store with
// SQL before the server starts; the single decision keeps using the demo's own zone.
//
// Environment: BENCH_SECONDS (default 10, split over BENCH_ROUNDS interleaved rounds, default 2),
// BENCH_CONNECTIONS (50), BENCH_WARMUP_SECONDS (3),
// BENCH_TOKENS (2000 decisions collected for the imp/click/view runs), BENCH_CPU_PROF=1 to write a
// V8 CPU profile of the server to bench/profiles/, BENCH_ONLY_DECISION=1 (bare and decision only),
// BENCH_CLI (path of the CLI to run).
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { cpuSeconds, rssMb, start, startDemoEngine, stop } from './demo-engine.mjs';
import { load, pinned } from './load.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const TOKENS = Number(process.env.BENCH_TOKENS ?? 2000);
const TARGET = 0.7;
const IMP_TARGET = 0.8;
/** BENCH_ONLY_DECISION=1 measures just the bare server and /v1/decision (for profiling). */
const ONLY_DECISION = Boolean(process.env.BENCH_ONLY_DECISION);
const SERVER_CORE = 0;
const LOAD_CORE = 1;

/** The page tag's size as served: raw, and gzipped at zlib's default level and at level 9. */
async function pageTagSize(origin) {
  const js = Buffer.from(await (await fetch(`${origin}/v1/tag.js`)).arrayBuffer());
  return { raw: js.length, gzipDefault: zlib.gzipSync(js).length, gzip9: zlib.gzipSync(js, { level: 9 }).length };
}

/** Makes `count` decisions (10 at a time) and returns their impression, click and view paths. */
async function collectTokens(origin, zoneId, count) {
  const imp = [];
  const click = [];
  const view = [];
  const one = async () => {
    const res = await fetch(`${origin}/v1/decision?zone=${zoneId}`);
    if (res.status !== 200) throw new Error(`decision answered ${res.status}; the demo data should always serve an ad`);
    const d = await res.json();
    imp.push(new URL(d.impressionUrl).pathname);
    click.push(new URL(d.clickUrl).pathname);
    view.push(new URL(d.viewUrl).pathname);
  };
  for (let i = 0; i < count; i += 10) await Promise.all(Array.from({ length: Math.min(10, count - i) }, one));
  return { imp, click, view };
}

const PAGE_PLACEMENTS = 8;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const benchId = (prefix) => `${prefix}_${Array.from({ length: 16 }, () => ID_ALPHABET[Math.floor(Math.random() * 32)]).join('')}`;

/**
 * Adds PAGE_PLACEMENTS 300×250 zones on the demo site and as many campaigns (copies of the demo's
 * first campaign with its 300×250 creative) linked to all of them, so every placement of a page
 * can be filled without repeating a campaign. Returns the new zone ids.
 */
function addPageData(dataDir, demoZoneId) {
  const db = new Database(path.join(dataDir, 'store.sqlite'));
  try {
    return db.transaction(() => {
      const siteId = db.prepare('SELECT site_id FROM zones WHERE id = ?').pluck().get(demoZoneId);
      const source = db.prepare('SELECT campaign_id FROM campaign_zones WHERE zone_id = ? ORDER BY rowid LIMIT 1').pluck().get(demoZoneId);
      const creative = db.prepare('SELECT id FROM creatives WHERE campaign_id = ? AND width = 300 AND height = 250').pluck().get(source);
      const at = new Date().toISOString();
      const zones = Array.from({ length: PAGE_PLACEMENTS }, (_, i) => {
        const id = benchId('zon');
        db.prepare('INSERT INTO zones (id, site_id, name, width, height, created_at, updated_at) VALUES (?, ?, ?, 300, 250, ?, ?)').run(id, siteId, `Demo – Bench page zone ${i + 1}`, at, at);
        return id;
      });
      for (let i = 0; i < PAGE_PLACEMENTS; i++) {
        const id = benchId('cmp');
        db.prepare(
          `INSERT INTO campaigns (id, customer_id, name, status, starts_at, ends_at, impression_goal, daily_cap, priority, weight, targeting, created_at, updated_at)
           SELECT ?, customer_id, ?, status, starts_at, ends_at, impression_goal, daily_cap, priority, weight, targeting, created_at, updated_at FROM campaigns WHERE id = ?`,
        ).run(id, `Demo – Bench page campaign ${i + 1}`, source);
        db.prepare(
          `INSERT INTO creatives (id, campaign_id, name, width, height, image_url, asset_id, html, landing_url, alt, status, created_at, updated_at)
           SELECT ?, ?, name, width, height, image_url, asset_id, html, landing_url, alt, status, created_at, updated_at FROM creatives WHERE id = ?`,
        ).run(benchId('crv'), id, creative);
        for (const zoneId of zones) db.prepare('INSERT INTO campaign_zones (campaign_id, zone_id) VALUES (?, ?)').run(id, zoneId);
      }
      return zones;
    })();
  } finally {
    db.close();
  }
}

/** Average filled placements of a page (sampled before the run): turns pages/s into placements/s. */
async function filledPerPage(origin, pagePath) {
  let filled = 0;
  const samples = 50;
  for (let i = 0; i < samples; i++) {
    const res = await fetch(origin + pagePath);
    if (res.status !== 200) throw new Error(`the page decision answered ${res.status}, not 200`);
    filled += (await res.json()).placements.filter((p) => p.decision !== null).length;
  }
  return filled / samples;
}

async function main() {
  const profileDir = path.join(here, 'profiles');
  let engine;
  let bare;
  let bareGif;
  try {
    const nodeArgs = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    engine = await startDemoEngine({ core: SERVER_CORE, nodeArgs, prepare: addPageData });
    const zoneId = engine.zoneId;
    const pagePath = `/v1/decision?zones=${engine.prepared.join(',')}`;
    bare = await start(pinned(SERVER_CORE, [process.execPath, path.join(here, 'bare-server.mjs')]), /listening (\S+)/);
    if (!ONLY_DECISION) bareGif = await start(pinned(SERVER_CORE, [process.execPath, path.join(here, 'bare-server.mjs'), 'gif']), /listening (\S+)/);

    const tokens = await collectTokens(engine.url, zoneId, ONLY_DECISION ? 10 : TOKENS);
    const filled = ONLY_DECISION ? 0 : await filledPerPage(engine.url, pagePath);
    const targets = [
      { name: 'bare node:http /', origin: bare.url, paths: ['/'] },
      { name: '/v1/decision', origin: engine.url, paths: [`/v1/decision?zone=${zoneId}`] },
      { name: `page of ${PAGE_PLACEMENTS} (zones=)`, origin: engine.url, paths: [pagePath], placements: filled },
      // The bare GIF server answers every path: it gets the impression paths, so requests are alike.
      { name: 'bare node:http GIF', origin: bareGif?.url, paths: tokens.imp },
      { name: '/v1/imp/TOKEN', origin: engine.url, paths: tokens.imp },
      { name: '/v1/click/TOKEN', origin: engine.url, paths: tokens.click },
      { name: '/v1/view/TOKEN', origin: engine.url, paths: tokens.view },
    ].slice(0, ONLY_DECISION ? 2 : 7);
    const tagSize = await pageTagSize(engine.url);
    console.log(`server: ${engine.url} (core ${SERVER_CORE}), bare: ${bare.url}${bareGif ? ` and ${bareGif.url} (GIF)` : ''} (core ${SERVER_CORE}), load: core ${LOAD_CORE}, ${CONNECTIONS} connections, ${SECONDS} s per target after ${WARMUP} s warm-up`);
    // Load on a shared machine drifts: every target runs in each of ROUNDS interleaved slices, so
    // drift hits them alike. Requests/s and CPU per request come from the totals; latencies are
    // the median of the slices' percentiles.
    for (const t of targets) {
      if (WARMUP > 0) await load({ origin: t.origin, paths: t.paths, seconds: WARMUP, connections: CONNECTIONS, core: LOAD_CORE });
    }
    const slices = targets.map(() => []);
    const slice = Math.max(1, Math.round(SECONDS / ROUNDS));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, t] of targets.entries()) {
        const pid = (t.origin === bare.url ? bare : t.origin === bareGif?.url ? bareGif : engine).child.pid;
        const cpuBefore = cpuSeconds(pid);
        const r = await load({ origin: t.origin, paths: t.paths, seconds: slice, connections: CONNECTIONS, core: LOAD_CORE });
        slices[i].push({ ...r, seconds: slice, cpu: cpuSeconds(pid) - cpuBefore });
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const results = targets.map((t, i) => {
      const ss = slices[i];
      const total = ss.reduce((a, x) => a + x.total, 0);
      return {
        ...t,
        tool: ss[0].tool,
        rps: total / ss.reduce((a, x) => a + x.seconds, 0),
        p50: median(ss.map((x) => x.p50)),
        p99: median(ss.map((x) => x.p99)),
        errors: ss.reduce((a, x) => a + x.errors, 0),
        // CPU time per request depends far less than requests/s on what else runs on the machine.
        cpuUs: (ss.reduce((a, x) => a + x.cpu, 0) / total) * 1e6,
      };
    });
    console.log(`measured with ${results[0].tool}: ${ROUNDS} interleaved rounds of ${slice} s per target`);
    const rss = rssMb(engine.child.pid);
    const check = await fetch(`${engine.url}/v1/decision?zone=${zoneId}`);
    if (check.status !== 200) throw new Error(`after the run the decision answered ${check.status}, not 200: the figures would not be comparable`);

    const pad = (s, n) => String(s).padStart(n);
    console.log('');
    console.log(`${'target'.padEnd(24)}${pad('req/s', 10)}${pad('p50 ms', 9)}${pad('p99 ms', 9)}${pad('errors', 8)}${pad('CPU µs/req', 12)}`);
    for (const r of results) {
      console.log(`${r.name.padEnd(24)}${pad(Math.round(r.rps), 10)}${pad(r.p50.toFixed(2), 9)}${pad(r.p99.toFixed(2), 9)}${pad(r.errors, 8)}${pad(r.cpuUs.toFixed(1), 12)}`);
    }
    const page = results.find((r) => r.placements !== undefined);
    if (page) {
      console.log(`page of ${PAGE_PLACEMENTS}: ${page.placements.toFixed(2)} placements filled per page, ${Math.round(page.rps * page.placements)} placements/s, ${(page.cpuUs / page.placements).toFixed(1)} CPU µs per placement`);
    }
    const byName = (name) => results.find((r) => r.name === name);
    const ratios = [
      ['/v1/decision ÷ bare', byName('/v1/decision'), byName('bare node:http /'), TARGET],
      ['/v1/imp ÷ bare GIF', byName('/v1/imp/TOKEN'), byName('bare node:http GIF'), IMP_TARGET],
    ];
    console.log('');
    for (const [label, served, baseline, target] of ratios) {
      if (!served || !baseline) continue;
      const ratio = served.rps / baseline.rps;
      // CPU time per request depends far less than requests/s on what else runs on the machine.
      const cpuRatio = baseline.cpuUs / served.cpuUs;
      console.log(`ratio ${label}: ${ratio.toFixed(2)} from req/s, ${cpuRatio.toFixed(2)} from CPU µs per request (${baseline.cpuUs.toFixed(1)} ÷ ${served.cpuUs.toFixed(1)}); target ≥ ${target.toFixed(2)} ${Math.min(ratio, cpuRatio) >= target ? 'met' : cpuRatio >= target || ratio >= target ? 'met by one measure' : 'NOT met'}`);
    }
    console.log(`server RSS after the run: ${rss.toFixed(1)} MB`);
    console.log(`page tag /v1/tag.js: ${tagSize.raw} bytes, gzip ${tagSize.gzipDefault} bytes (default level), ${tagSize.gzip9} bytes (level 9); budget 3072`);
    if (results.some((r) => r.errors > 0)) console.log('note: some responses were errors (non-2xx/3xx or timeouts); see the errors column');
  } finally {
    if (bare) await stop(bare.child);
    if (bareGif) await stop(bareGif.child);
    if (engine) await engine.close();
    if (process.env.BENCH_CPU_PROF) console.log(`CPU profile written to ${profileDir}`);
  }
}

main().catch((err) => {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
