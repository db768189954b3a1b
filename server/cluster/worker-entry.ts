import cluster from 'node:cluster';
import { runDeliveryWorker } from './delivery-worker';

// The bundle `serve --workers N` forks (dist/server/delivery-worker.js): delivery code only, so a
// worker loads a fraction of the CLI bundle (no console files, PDF, mail or backup code).
if (!cluster.isWorker) {
  console.error('delivery-worker.js is started by `creative-engine serve --workers N`, not by hand.');
  process.exit(2);
}
runDeliveryWorker().catch((err: unknown) => {
  console.error(`creative-engine delivery worker: ${err instanceof Error ? err.message : String(err)}`);
  // Its channel to the primary would keep it running: a worker that cannot serve leaves.
  process.exit(1);
});
