// npm run bench:flush: the statistics flush over a large catalogue, without HTTP (so without the load
// generator's noise). Seeds a temporary store like bench:catalogue (BENCH_CAMPAIGNS 10,000, BENCH_ZONES
// 2,000, BENCH_CANDIDATES 50), then for BENCH_SECONDS simulated seconds counts BENCH_RATE decisions a
// second (4,500; BENCH_FLUSH_EVERY seconds of them per flush, default 1) over the zones' top-priority links — the candidates decisions pick — and writes each
// second's rows with the real StatsRepo in slices as the server's timer does (STATS_FLUSH_SLICE_MS,
// one transaction each, batches of 128), checkpointing between seconds. Prints per row written: CPU µs
// of the flush, KiB of write-ahead log, CPU µs of the checkpoint — for the rows in the order they were
// counted and in the rollups' key order (what StatsService writes). BENCH_FLUSH_NO_COVERING=1 also drops
// the reports' covering indexes (016, 018, 019) in the temporary store, to show what they cost.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'bench', 'flush-lib.mjs');
// The real repository code, bundled from the sources (the server bundle does not export it).
await build({
  stdin: {
    contents: `export { openDatabase } from './server/store/database';
      export { StatsRepo, inKeyOrder } from './server/stats/stats-repo';
      export { STATS_FLUSH_SLICE_MS } from './server/stats/stats-service';
      export { DayClock } from './common/local-clock';`,
    resolveDir: root,
    loader: 'ts',
  },
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  external: ['better-sqlite3', 'keytar', 'electron', 'pdfkit'],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __ceRequire } from 'node:module'; const require = __ceRequire(import.meta.url);" },
});
const { openDatabase, StatsRepo, inKeyOrder, STATS_FLUSH_SLICE_MS, DayClock } = await import(pathToFileURL(out).href);
const { seedCatalogue } = await import(pathToFileURL(path.join(root, 'bench', 'catalogue.mjs')).href);

const o = {
  campaigns: Number(process.env.BENCH_CAMPAIGNS ?? 10_000),
  zones: Number(process.env.BENCH_ZONES ?? 2_000),
  candidates: Number(process.env.BENCH_CANDIDATES ?? 50),
  rate: Number(process.env.BENCH_RATE ?? 4_500),
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  every: Number(process.env.BENCH_FLUSH_EVERY ?? 1),
};

function run(order, covering) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-bench-flush-'));
  try {
    openDatabase(dir).close();
    seedCatalogue(dir, o);
    const db = openDatabase(dir);
    db.pragma('wal_autocheckpoint = 0');
    if (!covering) db.exec('DROP INDEX stats_hourly_hour_counts; DROP INDEX stats_daily_day_counts; DROP INDEX stats_campaign_daily_day_counts');
    const repo = new StatsRepo(db, new DayClock('Europe/Berlin'));
    repo.ensureDaily();
    // The links decisions pick: in each zone, the campaigns of its highest priority (with their first creative).
    const links = db
      .prepare(
        `SELECT cz.campaign_id AS c, cz.zone_id AS z, z.site_id AS s, (SELECT id FROM creatives WHERE campaign_id = cz.campaign_id ORDER BY id LIMIT 1) AS cr
         FROM campaign_zones cz JOIN zones z ON z.id = cz.zone_id JOIN campaigns c ON c.id = cz.campaign_id
         WHERE c.priority = (SELECT MAX(c2.priority) FROM campaign_zones z2 JOIN campaigns c2 ON c2.id = z2.campaign_id WHERE z2.zone_id = cz.zone_id)`,
      )
      .all();
    let seed = 14;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600;
    const wal = path.join(dir, 'store.sqlite-wal');
    let flushUs = 0;
    let checkpointUs = 0;
    let walBytes = 0;
    let rows = 0;
    for (let s = 0; s < o.seconds; s += o.every) {
      const pending = new Map();
      for (let i = 0; i < o.rate * o.every; i++) {
        const l = links[Math.floor(random() * links.length)];
        const key = `${l.c}\t${l.cr}\t${l.z}`;
        const d = pending.get(key);
        if (d) d.served++;
        else pending.set(key, { hour, campaignId: l.c, creativeId: l.cr, zoneId: l.z, siteId: l.s, country: '', served: 1, impressions: 0, clicks: 0, viewable: 0, measurable: 0 });
      }
      const started = process.cpuUsage();
      const deltas = [...pending.values()];
      if (order === 'key') inKeyOrder(deltas);
      for (let i = 0; i < deltas.length; ) {
        i = repo.transaction(() => {
          const t0 = performance.now();
          let j = i;
          do {
            const end = Math.min(j + 128, deltas.length);
            repo.addAll(deltas.slice(j, end));
            j = end;
          } while (j < deltas.length && performance.now() - t0 < STATS_FLUSH_SLICE_MS);
          return j;
        });
      }
      const flushed = process.cpuUsage(started);
      flushUs += flushed.user + flushed.system;
      rows += deltas.length;
      walBytes += fs.statSync(wal).size;
      const c0 = process.cpuUsage();
      db.pragma('wal_checkpoint(TRUNCATE)');
      const c1 = process.cpuUsage(c0);
      checkpointUs += c1.user + c1.system;
    }
    db.close();
    return { rows, decisions: o.rate * o.seconds, flushUsPerDecision: flushUs / (o.rate * o.seconds), links: links.length, flushUsPerRow: flushUs / rows, walKiBPerRow: walBytes / rows / 1024, checkpointUsPerRow: checkpointUs / rows };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const variants = [
  ['counted', true],
  ['key', true],
  ...(process.env.BENCH_FLUSH_NO_COVERING ? [['key', false]] : []),
];
for (const [order, covering] of variants) {
  const r = run(order, covering);
  console.log(
    `flush every ${o.every} s in ${order === 'key' ? "the rollups' key order" : 'counted order'}${covering ? '' : ', without the covering indexes'}: ${r.rows} rows over ${r.links} links in ${o.seconds} s —` +
      ` ${r.flushUsPerRow.toFixed(1)} CPU µs, ${r.walKiBPerRow.toFixed(1)} KiB WAL, checkpoint ${r.checkpointUsPerRow.toFixed(1)} CPU µs per row;` +
      ` ${r.flushUsPerDecision.toFixed(1)} CPU µs per decision counted`,
  );
}
