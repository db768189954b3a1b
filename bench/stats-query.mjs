// npm run bench:stats: report queries of GET /api/stats over a year of hourly rollups. Creates a
// temporary data directory (init), seeds synthetic rows with SQL in one transaction before the
// built server starts — BENCH_CUSTOMERS customers (default 30) with BENCH_CAMPAIGNS campaigns (500)
// over 60 zones, two creatives each, one rollup row per campaign and hour of the last 365 days
// (zone, creative and country rotating); the first 200 campaigns belong to the first customer and
// carry a cpm price that changes mid-year — then starts the server (which builds the daily rollups
// from the hourly rows, timed), times typical reports and a month's statement over HTTP, signed
// in, and prints p50/p95/p99 per request (BENCH_RUNS runs each after 2 warm-ups, default 30) and the
// server's CPU time per request. BENCH_STATS_DIR=/path keeps the data directory there (seeded only
// when empty, never deleted: later runs skip the seeding and the first start's rollup builds);
// BENCH_ONLY=<text> runs only the reports whose name contains it. BENCH_SERVER_ARGS adds node flags
// to the server (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof); BENCH_ACCEPT_ENCODING sets the requests'
// Accept-Encoding (identity: no compression). Sizes: the JSON, and the bytes sent when compressed.
// Target: well under 100 ms; the 90-day report of one campaign under 50 ms (issue 14, with 500 campaigns).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.resolve(process.env.BENCH_CLI ?? path.join(root, 'bin', 'creative-engine.js'));
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 30);
const CAMPAIGNS = Number(process.env.BENCH_CAMPAIGNS ?? 500);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const DAYS = 365;
const ZONES = 60;
const EMAIL = 'bench@example.test';
const PASSWORD = 'bench password 12345';
const COUNTRIES = ['DE', 'AT', 'CH', ''];
const HOUR = 3600;
const PRICED = 200;

const ONLY = process.env.BENCH_ONLY ?? '';
/** Accept-Encoding of the requests (e.g. identity: the server's work without compression); default fetch's own (gzip, deflate, br). */
const ACCEPT = process.env.BENCH_ACCEPT_ENCODING ?? '';
const keptDir = process.env.BENCH_STATS_DIR ? path.resolve(process.env.BENCH_STATS_DIR) : null;
if (keptDir) fs.mkdirSync(keptDir, { recursive: true });
const dataDir = keptDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ce-bench-stats-'));
/** A kept directory holds a seeded store (and bench.json, written last) from an earlier run. */
const seededFile = path.join(dataDir, 'bench.json');
const reuse = keptDir !== null && fs.existsSync(seededFile);
if (keptDir && !reuse && fs.readdirSync(keptDir).length > 0) throw new Error(`BENCH_STATS_DIR ${keptDir} is neither empty nor a seeded bench directory`);
const env = { ...process.env, CREATIVE_ENGINE_DATA_KEY_FILE: `${dataDir}.data-key` };
const serverArgs = (process.env.BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);

function run(args, input) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, input, encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`${args[0]} failed: ${r.stderr || r.stdout}`);
}

/** Starts `serve` and resolves with the admin URL once it is listening. */
function serve() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...serverArgs, cli, 'serve', '--data', dataDir, '--admin-port', '0', '--portal-port', '0', '--delivery-port', '0', '--delivery-host', '127.0.0.1', '--workers', '1'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 900_000);
    const seen = (d) => {
      out += d;
      const m = /admin listening on (http:\/\/[^\s/]+)/.exec(out); // format: common/listen-line.ts
      if (m) {
        clearTimeout(timer);
        resolve({ child, adminUrl: m[1] });
      }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
  });
}

/** Customers, sites, zones, campaigns, creatives and a year of hourly rows, in one transaction. */
function seed(now) {
  const db = new Database(path.join(dataDir, 'store.sqlite'));
  db.pragma('journal_mode = WAL');
  const stamp = new Date(now * 1000).toISOString();
  const start = now - DAYS * 86_400;
  const customers = [];
  const campaigns = [];
  db.transaction(() => {
    const customer = db.prepare("INSERT INTO customers (id, name, email, kind, status, created_at, updated_at) VALUES (?, ?, 'bench@example.test', 'both', 'active', ?, ?)");
    const site = db.prepare("INSERT INTO sites (id, customer_id, name, domain, created_at, updated_at) VALUES (?, ?, ?, 'pub.example', ?, ?)");
    const zone = db.prepare('INSERT INTO zones (id, site_id, name, width, height, created_at, updated_at) VALUES (?, ?, ?, 300, 250, ?, ?)');
    const campaign = db.prepare(
      `INSERT INTO campaigns (id, customer_id, name, status, starts_at, ends_at, priority, weight, targeting, created_at, updated_at)
       VALUES (?, ?, ?, 'active', ?, ?, 5, 1, '{}', ?, ?)`,
    );
    const price = db.prepare("INSERT INTO campaign_prices (campaign_id, effective_from, model, amount_micros, created_by, created_at) VALUES (?, ?, 'cpm', ?, 'bench', ?)");
    for (let c = 0; c < CUSTOMERS; c++) customer.run(`cu_bench${c}`, `Customer ${c}`, stamp, stamp);
    for (let s = 0; s < ZONES / 3; s++) site.run(`si_bench${s}`, `cu_bench${s % CUSTOMERS}`, `Site ${s}`, stamp, stamp);
    const zones = [];
    for (let z = 0; z < ZONES; z++) {
      zones.push({ id: `zo_bench${z}`, site: `si_bench${Math.floor(z / 3)}` });
      zone.run(`zo_bench${z}`, `si_bench${Math.floor(z / 3)}`, `Zone ${z}`, stamp, stamp);
    }
    for (let i = 0; i < CAMPAIGNS; i++) {
      const id = `ca_bench${i}`;
      const cust = i < PRICED ? 'cu_bench0' : `cu_bench${1 + (i % (CUSTOMERS - 1))}`;
      campaign.run(id, cust, `Campaign ${i}`, new Date(start * 1000).toISOString(), new Date((now + 86_400) * 1000).toISOString(), stamp, stamp);
      if (i < PRICED) {
        price.run(id, new Date(start * 1000).toISOString(), 2_500_000, stamp);
        // A change at 10:00 UTC in the middle of the year: that day is priced from hourly rows.
        price.run(id, new Date((start + 180 * 86_400 - (start % 86_400) + 10 * HOUR) * 1000).toISOString(), 3_100_000, stamp);
      }
      campaigns.push({ id, customer: cust, zones: [zones[i % ZONES], zones[(i * 7 + 1) % ZONES]], creatives: [`cr_bench${i}a`, `cr_bench${i}b`] });
    }
    customers.push(...new Set(campaigns.map((c) => c.customer)));
  })();
  const row = db.prepare(
    'INSERT INTO stats_hourly (hour, campaign_id, creative_id, zone_id, site_id, country, served, impressions, clicks, viewable, measurable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let rows = 0;
  db.transaction(() => {
    for (let h = start - (start % HOUR); h <= now; h += HOUR) {
      const n = h / HOUR;
      for (const c of campaigns) {
        const z = c.zones[n % 2];
        const served = 20 + ((n * 13 + rows) % 80);
        row.run(h, c.id, c.creatives[(n >> 1) % 2], z.id, z.site, COUNTRIES[n % 4], served, served - 3, served % 7, served >> 1, served - 5);
        rows++;
      }
    }
    // The customer rollups (migration 022) as the flush keeps them beside the hourly rows; the daily
    // ones the server rebuilds at start. Without this, customer-level reports would read an empty table.
    db.exec(`INSERT INTO stats_customer_hourly (hour, customer_id, served, impressions, clicks, viewable, measurable, revenue)
      SELECT s.hour, c.customer_id, SUM(s.served), SUM(s.impressions), SUM(s.clicks), SUM(s.viewable), SUM(s.measurable), SUM(s.revenue)
      FROM stats_hourly s JOIN campaigns c ON c.id = s.campaign_id GROUP BY 1, 2`);
  })();
  db.close();
  return { rows, customers };
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

/** The server's CPU time so far in ms (user + system, from /proc; null where there is none). */
function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

let server;
try {
  let now;
  let customers;
  if (reuse) {
    ({ now, customers } = JSON.parse(fs.readFileSync(seededFile, 'utf8')));
    console.log(`reusing the data directory ${dataDir} (seeded ${new Date(now * 1000).toISOString()})`);
  } else {
    run(['init', '--data', dataDir, '--admin-email', EMAIL, '--password-stdin'], PASSWORD);
    now = Math.floor(Date.now() / 1000);
    const t0 = performance.now();
    const seeded = seed(now);
    customers = seeded.customers;
    console.log(`seeded ${seeded.rows.toLocaleString('en')} hourly rows (${CAMPAIGNS} campaigns of ${customers.length} customers, ${DAYS} days) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const t1 = performance.now();
  server = await serve();
  console.log(`server started${reuse ? '' : ' (daily rollup built from the hourly rows)'} in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
  if (keptDir && !reuse) fs.writeFileSync(seededFile, JSON.stringify({ now, customers }));
  const login = await fetch(`${server.adminUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'creative-engine' },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status}`);
  const cookie = `sid=${/sid=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1]}`;
  const iso = (s) => new Date(s * 1000).toISOString();
  const day = now - (now % 86_400);
  const reports = [
    ['all campaigns, 7 days hourly', `from=${iso(now - 7 * 86_400)}&to=${iso(now)}&granularity=hour`],
    ['all campaigns, 7 days hourly by customer', `from=${iso(now - 7 * 86_400)}&to=${iso(now)}&granularity=hour&by=customer`],
    ['one customer, 30 days daily by campaign', `customerId=${customers[0]}&from=${iso(day - 29 * 86_400)}&to=${iso(now)}&granularity=day&by=campaign`],
    ['a year daily by customer', `from=${iso(day - 364 * 86_400)}&to=${iso(now)}&granularity=day&by=customer`],
    ['one campaign, 90 days daily', `campaignId=ca_bench1&from=${iso(day - 89 * 86_400)}&to=${iso(now)}&granularity=day`],
    ['one campaign, a year daily by zone', `campaignId=ca_bench1&from=${iso(day - 364 * 86_400)}&to=${iso(now)}&granularity=day&by=zone`],
  ].map(([name, q]) => [name, `/api/stats?${q}`]);
  const lastMonth = new Date(Date.UTC(new Date(now * 1000).getUTCFullYear(), new Date(now * 1000).getUTCMonth() - 1, 15)).toISOString().slice(0, 7);
  reports.push([`statement of ${lastMonth}, ${PRICED} priced campaigns`, `/api/customers/cu_bench0/statements/${lastMonth}`]);
  console.log(`GET over HTTP, ${RUNS} runs each after 2 warm-ups (target: well under 100 ms); cpu: the server's CPU ms per request`);
  for (const [name, q] of reports) {
    if (!name.includes(ONLY)) continue;
    const times = [];
    let bytes = 0;
    let wire = 0;
    let cpuFrom = null;
    for (let i = 0; i < RUNS + 2; i++) {
      if (i === 2) cpuFrom = cpuMs(server.child.pid);
      const started = performance.now();
      const res = await fetch(`${server.adminUrl}${q}`, { headers: { cookie, ...(ACCEPT ? { 'accept-encoding': ACCEPT } : {}) } });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${body}`);
      if (i >= 2) times.push(performance.now() - started);
      bytes = body.length;
      // The bytes on the wire (fetch decompresses): content-length of a compressed answer.
      wire = Number(res.headers.get('content-length') ?? body.length);
    }
    const cpuTo = cpuMs(server.child.pid);
    const cpu = cpuFrom === null || cpuTo === null ? '' : `  cpu ${((cpuTo - cpuFrom) / RUNS).toFixed(1).padStart(6)} ms`;
    console.log(`  ${name.padEnd(44)} p50 ${percentile(times, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(7)} ms  p99 ${percentile(times, 99).toFixed(1).padStart(7)} ms${cpu}  (${(bytes / 1024).toFixed(0)} KiB${wire < bytes ? `, ${(wire / 1024).toFixed(0)} KiB sent` : ''})`);
  }
  // The fast paths must give the same numbers: a report over the customer rollups against the same
  // range split by site (read from the campaign rollups). A bench over an empty table would be fast too.
  const fetchJson = async (q) => (await fetch(`${server.adminUrl}/api/stats?${q}`, { headers: { cookie } })).json();
  for (const [what, q] of [
    ['7 days hourly', `from=${iso(now - 7 * 86_400)}&to=${iso(now)}&granularity=hour`],
    ['a year daily', `from=${iso(day - 364 * 86_400)}&to=${iso(now)}&granularity=day`],
  ]) {
    const [fast, full] = await Promise.all([fetchJson(`${q}&by=customer`), fetchJson(`${q}&by=site`)]);
    const served = (r) => r.totals?.served;
    if (!(served(fast) > 0) || served(fast) !== served(full)) throw new Error(`${what}: served by customer ${served(fast)} ≠ by site ${served(full)}`);
    console.log(`  checked: ${what}, served by customer = by site = ${served(full).toLocaleString('en')}`);
  }
} finally {
  if (server) {
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
  }
  if (!keptDir) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(`${dataDir}.data-key`, { force: true });
  }
}
