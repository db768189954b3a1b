// npm run bench:catalogue: delivery over a large catalogue. Creates a temporary data directory (init),
// seeds it with SQL in one transaction before the built server starts — BENCH_CAMPAIGNS campaigns
// (default 10,000) of 100 customers, BENCH_ZONES zones (2,000) on 200 sites, BENCH_CANDIDATES
// campaigns linked to each zone (50), each with one creative of its zone's size (some with a second of
// another size), mixed priorities, weights, targeting, goals with even pacing, daily and per-visitor
// caps — then starts `serve` pinned to one core (core 0) and measures, 127.0.0.1 only:
//  - the start-up index build (as the server logs it) and the time until it listens;
//  - GET /v1/decision?zone=… over all zones in random order at BENCH_CONNECTIONS (32) connections from
//    core 1 (bench/load.mjs: wrk, else autocannon): req/s, p50/p99, CPU µs per request;
//  - the server's RSS after the load;
//  - a change to one campaign through the admin API (pause, then resume, BENCH_CHANGES times each):
//    from the API's answer until a decision in a zone where that campaign outranks the others
//    reflects it, and the server's own index update time (its debug log line); the same for a
//    change that is not campaign-scoped (renaming a zone: every row re-read, as on the minute tick;
//    archiving and restoring a zone: a full rebuild). BENCH_TRACE_GC=1 also prints the server's
//    mark-compact and long scavenge pauses; BENCH_NODE_ARGS passes the server (and its workers) more Node flags.
// Also callable: `import { runCatalogueBench } from './catalogue.mjs'` returns the figures.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { processTree, rssMb, stop, treeCpuSeconds } from './demo-engine.mjs';
import { load, pinned } from './load.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EMAIL = 'bench@example.test';
const PASSWORD = 'bench password 12345';
const SIZES = [
  [300, 250],
  [728, 90],
  [160, 600],
];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** A valid catalogue id (`cmp_` + 16 base32 characters) numbered `n`, so the admin API accepts it. */
const idOf = (prefix, n) => {
  let s = '';
  for (let i = 0; i < 16; i++, n = Math.floor(n / 32)) s = ALPHABET[n % 32] + s;
  return `${prefix}_${s}`;
};

/** mulberry32: the same catalogue on every run. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeds the catalogue. Zone z has size z % 3 and is linked to `candidates` campaigns of the same size
 * class; the probe zone (the last) is linked to the probe campaign at priority 20, above everyone.
 */
export function seedCatalogue(dataDir, { campaigns, zones, candidates }) {
  const random = rng(14);
  const db = new Database(path.join(dataDir, 'store.sqlite'));
  db.pragma('journal_mode = WAL');
  const now = Date.now();
  const stamp = new Date(now).toISOString();
  const CUSTOMERS = 100;
  const SITES = 200;
  const pick = (xs) => xs[Math.floor(random() * xs.length)];
  const targetings = [{}, {}, {}, {}, { keywords: ['sport', 'news', 'auto'] }, { devices: ['desktop', 'mobile'] }, { countries: ['DE', 'AT', 'CH'] }, { weekdays: [1, 2, 3, 4, 5] }, { devices: ['mobile'] }];
  db.transaction(() => {
    const customer = db.prepare("INSERT INTO customers (id, name, email, kind, status, created_at, updated_at) VALUES (?, ?, 'bench@example.test', 'both', 'active', ?, ?)");
    const site = db.prepare("INSERT INTO sites (id, customer_id, name, domain, created_at, updated_at) VALUES (?, ?, ?, 'pub.example', ?, ?)");
    const zone = db.prepare('INSERT INTO zones (id, site_id, name, width, height, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const campaign = db.prepare(
      `INSERT INTO campaigns (id, customer_id, name, status, starts_at, ends_at, impression_goal, goal_kind, pacing, daily_cap, priority, weight, targeting,
                              exclusivity_group, visitor_daily_cap, created_at, updated_at)
       VALUES (?, ?, ?, 'active', ?, ?, ?, 'impressions', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const creative = db.prepare(
      `INSERT INTO creatives (id, campaign_id, name, width, height, image_url, html, landing_url, alt, status, created_at, updated_at)
       VALUES (?, ?, 'Bench creative', ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
    );
    const link = db.prepare('INSERT OR IGNORE INTO campaign_zones (campaign_id, zone_id) VALUES (?, ?)');
    for (let c = 0; c < CUSTOMERS; c++) customer.run(idOf('cus', c), `Bench customer ${c}`, stamp, stamp);
    for (let s = 0; s < SITES; s++) site.run(idOf('sit', s), idOf('cus', s % CUSTOMERS), `Bench site ${s}`, stamp, stamp);
    for (let z = 0; z < zones; z++) {
      const [w, h] = SIZES[z % 3];
      zone.run(idOf('zon', z), idOf('sit', z % SITES), `Bench zone ${z}`, w, h, stamp, stamp);
    }
    let creatives = 0;
    for (let c = 0; c < campaigns; c++) {
      const probe = c === campaigns - 1;
      const goal = random() < 0.3 ? 100_000_000 + Math.floor(random() * 1e6) : null;
      const priority = probe ? 20 : pick([1, 5, 5, 5, 5, 10]);
      campaign.run(
        idOf('cmp', c),
        idOf('cus', c % CUSTOMERS),
        `Bench campaign ${c}`,
        new Date(now - 10 * 86_400_000).toISOString(),
        new Date(now + 60 * 86_400_000).toISOString(),
        goal,
        random() < 0.8 ? 'even' : 'asap',
        !probe && random() < 0.2 ? 1_000_000 : null,
        priority,
        1 + Math.floor(random() * 10),
        JSON.stringify(probe ? {} : pick(targetings)),
        !probe && random() < 0.1 ? pick(['Cars', 'Banks', 'Telecom']) : null,
        !probe && random() < 0.01 ? 1000 : null,
        stamp,
        stamp,
      );
      const [w, h] = SIZES[c % 3];
      const html = random() < 0.3;
      creative.run(idOf('crv', creatives++), idOf('cmp', c), w, h, html ? null : `/v1/assets/${idOf('ast', c)}`, html ? `<a href="{{CLICK_URL}}"><b>Offer ${c}</b></a>` : null, `https://advertiser.example/c/${c}`, `Bench ad ${c}`, stamp, stamp);
      if (random() < 0.3) {
        const [w2, h2] = SIZES[(c + 1) % 3];
        creative.run(idOf('crv', creatives++), idOf('cmp', c), w2, h2, `/v1/assets/${idOf('ast', c)}b`, null, `https://advertiser.example/c/${c}`, `Bench ad ${c}b`, stamp, stamp);
      }
    }
    // Each zone: `candidates` distinct campaigns of its size class (c % 3 === z % 3).
    const perClass = Math.floor(campaigns / 3);
    for (let z = 0; z < zones; z++) {
      const chosen = new Set();
      while (chosen.size < Math.min(candidates, perClass)) chosen.add(Math.floor(random() * perClass) * 3 + (z % 3));
      for (const c of chosen) if (c < campaigns - 1) link.run(idOf('cmp', c), idOf('zon', z));
    }
    // The probe: the last campaign, linked to the last zone (same size class) where it outranks the rest.
    const probeZone = zones - 1 - (((zones - 1) % 3) - ((campaigns - 1) % 3) + 3) % 3;
    link.run(idOf('cmp', campaigns - 1), idOf('zon', probeZone));
    return probeZone;
  })();
  const probeZone = db.prepare('SELECT zone_id FROM campaign_zones WHERE campaign_id = ?').pluck().get(idOf('cmp', campaigns - 1));
  const counts = {
    links: db.prepare('SELECT count(*) FROM campaign_zones').pluck().get(),
    creatives: db.prepare('SELECT count(*) FROM creatives').pluck().get(),
  };
  db.close();
  return { probeCampaign: idOf('cmp', campaigns - 1), probeZone, ...counts };
}

/** Starts `serve` pinned to `core` with debug logging; resolves with its URLs and a live view of its output. */
function serve(cli, dataDir, env, core, nodeArgs = [], workers = 1) {
  return new Promise((resolve, reject) => {
    const argv = pinned(core, [process.execPath, ...nodeArgs, cli, 'serve', '--log-debug', '--data', dataDir, '--admin-port', '0', '--portal-port', '0', '--delivery-port', '0', '--delivery-host', '127.0.0.1', '--workers', String(workers)]);
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = { text: '' };
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${log.text}`)), 120_000);
    const seen = (d) => {
      log.text += d;
      if (log.text.length > 4_000_000) log.text = log.text.slice(-1_000_000);
      const admin = /admin listening on (http:\/\/[^\s/]+)/.exec(log.text)?.[1];
      const delivery = /delivery listening on (http:\/\/[^\s/]+)/.exec(log.text)?.[1];
      if (admin && delivery && timer) {
        clearTimeout(timer);
        resolve({ child, adminUrl: admin, deliveryUrl: delivery, log, startMs: performance.now() - started });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${log.text}`)));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The next 'zone index built' debug line after `from` in the log: {kind, ms}. */
async function nextBuild(log, from, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  const re = /zone index built .*?kind=(\w+).*?ms=([\d.]+)/g;
  while (performance.now() < deadline) {
    re.lastIndex = from;
    const m = re.exec(log.text);
    if (m) return { kind: m[1], ms: Number(m[2]), end: re.lastIndex };
    await sleep(5);
  }
  throw new Error('no index build logged in time');
}

/**
 * Seeds, starts the server, measures. Options (all optional): campaigns, zones, candidates,
 * connections, seconds, warmup, changes (pause/resume pairs), serverCore, loadCore, cli, quiet,
 * nodeArgs (before the CLI; BENCH_CPU_PROF=1 writes a CPU profile to bench/profiles/).
 * Resolves with the figures (also printed unless quiet).
 */
export async function runCatalogueBench(options = {}) {
  const o = {
    campaigns: Number(process.env.BENCH_CAMPAIGNS ?? 10_000),
    zones: Number(process.env.BENCH_ZONES ?? 2_000),
    candidates: Number(process.env.BENCH_CANDIDATES ?? 50),
    connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    warmup: Number(process.env.BENCH_WARMUP_SECONDS ?? 3),
    changes: Number(process.env.BENCH_CHANGES ?? 5),
    serverCore: 0,
    loadCore: 1,
    // BENCH_CATALOGUE_WORKERS=2 runs the same catalogue with delivery workers (their CPU and RSS summed / listed).
    workers: Number(process.env.BENCH_CATALOGUE_WORKERS ?? 1),
    cli: path.resolve(process.env.BENCH_CLI ?? path.join(root, 'bin', 'creative-engine.js')),
    quiet: false,
    // BENCH_NODE_ARGS: more Node flags for the server (and its workers), e.g. to compare V8 settings.
    nodeArgs: [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.join(root, 'bench', 'profiles')}`] : []), ...(process.env.BENCH_TRACE_GC ? ['--trace-gc'] : [])],
    ...options,
  };
  const say = (line) => o.quiet || console.log(line);
  if (!process.env.BENCH_CLI && !options.cli && !fs.existsSync(path.join(root, 'dist', 'server', 'cli.js'))) throw new Error('Build the server first: node scripts/build.mjs server (npm run bench:catalogue does it).');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-bench-catalogue-'));
  const env = { ...process.env, CREATIVE_ENGINE_DATA_KEY_FILE: `${dataDir}.data-key` };
  let server;
  try {
    const init = spawnSync(process.execPath, [o.cli, 'init', '--data', dataDir, '--admin-email', EMAIL, '--password-stdin'], { cwd: root, input: PASSWORD, encoding: 'utf8', env });
    if (init.status !== 0) throw new Error(`init failed: ${init.stderr || init.stdout}`);
    const t0 = performance.now();
    const seeded = seedCatalogue(dataDir, o);
    say(`seeded ${o.campaigns} campaigns, ${seeded.creatives} creatives, ${o.zones} zones, ${seeded.links} zone links in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    server = await serve(o.cli, dataDir, env, o.serverCore, o.nodeArgs, o.workers);
    const built = /zone index built: (\d+) zones, (\d+) campaigns in (\d+) ms/.exec(server.log.text);
    const figures = { campaigns: o.campaigns, zones: o.zones, candidates: o.candidates, links: seeded.links, startupIndexMs: built ? Number(built[3]) : NaN, startupMs: server.startMs };
    say(`server ${server.deliveryUrl} on core ${o.serverCore}: index built at start-up in ${figures.startupIndexMs} ms, listening after ${Math.round(figures.startupMs)} ms`);
    const rssOf = () => processTree(server.child.pid).map((pid) => rssMb(pid));
    const rssIdle = Math.max(...rssOf());

    // Every zone once, in random order (the same order every run).
    const random = rng(7);
    const paths = Array.from({ length: o.zones }, (_, z) => `/v1/decision?zone=${idOf('zon', z)}`);
    for (let i = paths.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [paths[i], paths[j]] = [paths[j], paths[i]];
    }
    let filled = 0;
    for (const p of paths.slice(0, 200)) if ((await fetch(server.deliveryUrl + p)).status === 200) filled++;
    if (o.warmup > 0) await load({ origin: server.deliveryUrl, paths, seconds: o.warmup, connections: o.connections, core: o.loadCore });
    const cpuBefore = treeCpuSeconds(server.child.pid);
    const r = await load({ origin: server.deliveryUrl, paths, seconds: o.seconds, connections: o.connections, core: o.loadCore });
    const cpuUs = ((treeCpuSeconds(server.child.pid) - cpuBefore) / r.total) * 1e6;
    Object.assign(figures, { tool: r.tool, rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors, cpuUsPerDecision: cpuUs, filledShare: filled / 200, rssIdleMb: rssIdle, rssMb: Math.max(...rssOf()), rssByProcessMb: rssOf() });
    say(`GET /v1/decision over ${o.zones} zones, ${o.connections} connections, ${o.seconds} s (${r.tool}): ${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.errors} errors, ${cpuUs.toFixed(1)} CPU µs/decision, ${Math.round(figures.filledShare * 100)} % filled`);
    say(`RSS: ${rssIdle.toFixed(0)} MB after start-up, ${figures.rssMb.toFixed(0)} MB after the load${o.workers > 1 ? ` (largest process; primary and workers: ${figures.rssByProcessMb.map((m) => m.toFixed(0)).join(', ')} MB)` : ''}`);

    // Changes through the admin API.
    const login = await fetch(`${server.adminUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'creative-engine' },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`sign-in failed: ${login.status}`);
    const headers = { cookie: `sid=${/sid=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1]}`, 'content-type': 'application/json', 'x-requested-with': 'creative-engine' };
    const patch = async (url, body) => {
      const res = await fetch(server.adminUrl + url, { method: 'PATCH', headers, body: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`PATCH ${url}: ${res.status} ${await res.text()}`);
    };
    const probePath = `${server.deliveryUrl}/v1/decision?zone=${seeded.probeZone}`;
    const servesProbe = async () => {
      const res = await fetch(probePath);
      return res.status === 200 && (await res.json()).campaignId === seeded.probeCampaign;
    };
    if (!(await servesProbe())) throw new Error('the probe campaign should win its zone before the change');
    /** Runs `change`, then polls the probe zone until `reflected`; returns API→decision ms and the server's update. */
    const timeChange = async (change, reflected) => {
      const from = server.log.text.length;
      await change();
      const answered = performance.now();
      while (!(await reflected())) {
        if (performance.now() - answered > 30_000) throw new Error('the change never reached the decisions');
      }
      const seenMs = performance.now() - answered;
      const b = await nextBuild(server.log, from);
      return { seenMs, ...b };
    };
    const incremental = [];
    for (let i = 0; i < o.changes; i++) {
      incremental.push(await timeChange(() => patch(`/api/campaigns/${seeded.probeCampaign}`, { status: 'paused' }), async () => !(await servesProbe())));
      incremental.push(await timeChange(() => patch(`/api/campaigns/${seeded.probeCampaign}`, { status: 'active' }), servesProbe));
    }
    // Not campaign-scoped: a zone's rename re-reads every row (the minute tick does the same), and
    // archiving and restoring a zone rebuild everything (wait for the log lines).
    const reread = [];
    const full = [];
    const post = async (url) => {
      const res = await fetch(server.adminUrl + url, { method: 'POST', headers });
      if (res.status !== 200) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
    };
    for (let i = 0; i < Math.max(1, Math.ceil(o.changes / 2)); i++) {
      let from = server.log.text.length;
      await patch(`/api/zones/${idOf('zon', 0)}`, { name: `Bench zone 0 (${i})` });
      reread.push(await nextBuild(server.log, from));
      for (const action of ['archive', 'restore']) {
        from = server.log.text.length;
        await post(`/api/zones/${idOf('zon', 0)}/${action}`);
        full.push(await nextBuild(server.log, from));
      }
    }
    if (process.env.BENCH_TRACE_GC) for (const line of server.log.text.split('\n').filter((l) => /Mark-Compact|Scavenge.*?(\d{2,}\.\d) \/ /.test(l))) say(`  gc: ${line.trim()}`);
    Object.assign(figures, {
      incrementalUpdateMs: median(incremental.map((x) => x.ms)),
      incrementalKinds: [...new Set(incremental.map((x) => x.kind))],
      changeToDecisionMs: median(incremental.map((x) => x.seenMs)),
      rereadMs: median(reread.map((x) => x.ms)),
      rereadKinds: [...new Set(reread.map((x) => x.kind))],
      fullRebuildMs: median(full.map((x) => x.ms)),
      fullKinds: [...new Set(full.map((x) => x.kind))],
      rssEndMb: rssMb(server.child.pid),
    });
    say(
      `one campaign paused/resumed via the admin API (${incremental.length}×): server update ${figures.incrementalUpdateMs.toFixed(2)} ms (median, ${figures.incrementalKinds.join('/')}); ` +
        `API answer → decision reflects it ${figures.changeToDecisionMs.toFixed(0)} ms (includes the ${100} ms debounce)`,
    );
    say(`a zone renamed (${reread.length}×): every row re-read, changed campaigns rebuilt ${figures.rereadMs.toFixed(1)} ms (median, ${figures.rereadKinds.join('/')})`);
    say(`a zone archived/restored (${full.length}×): full rebuild ${figures.fullRebuildMs.toFixed(1)} ms (median, ${figures.fullKinds.join('/')}); RSS at the end ${figures.rssEndMb.toFixed(0)} MB`);
    return figures;
  } finally {
    if (server) await stop(server.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(`${dataDir}.data-key`, { force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runCatalogueBench().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
