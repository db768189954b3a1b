import cluster from 'node:cluster';
import { WORKER_ENV } from '../cluster/cluster-protocol';
import { runDeliveryWorker } from '../cluster/delivery-worker';
import { main } from './main';

// `serve --workers N` forks this script: those processes are delivery workers, not the CLI.
const run = cluster.isWorker && process.env[WORKER_ENV] === '1' ? runDeliveryWorker().then(() => 0) : main(process.argv.slice(2));
run.then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`creative-engine: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
    // A worker's channel to the primary would keep it running: a worker that cannot serve leaves.
    if (cluster.isWorker) process.exit(1);
  },
);
