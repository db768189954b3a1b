import fs from 'node:fs';
import path from 'node:path';
import { AuditLog } from '../audit/audit-log';
import { parseFlags, required, UsageError, type Command } from '../command/args';
import { resolveConfig } from '../config';
import { createLogger } from '../log/logger';
import { openDatabase, STORE_FILE } from '../store/database';
import { parseSealedRetentionFlags, RetentionConfigError } from './retention-period';
import { runRetention } from './retention-runner';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `retention run`: deletes what retention allows (for cron); prints what it deleted; audited as `cli`. */
export const retentionRunCommand: Command = {
  name: 'retention run',
  summary: 'delete what retention allows to delete (sealed logs past their period, …) and print it',
  usage: 'retention run --data DIR [--now ISO] [--sealed-dir DIR] [--sealed-retention-months 1-3 | --sealed-retention-days 0-89]',
  async run(argv) {
    const f = parseFlags(argv, {
      data: { type: 'string' },
      now: { type: 'string' },
      'sealed-dir': { type: 'string' },
      'sealed-retention-months': { type: 'string' },
      'sealed-retention-days': { type: 'string' },
    });
    const dataDir = path.resolve(required(f.data, '--data'));
    if (!fs.existsSync(path.join(dataDir, STORE_FILE))) throw new UsageError(`No store in ${dataDir}; give the data directory serve uses.`);
    let now = new Date();
    if (f.now !== undefined) {
      if (!ISO_TIME.test(f.now) || Number.isNaN(Date.parse(f.now))) throw new UsageError(`--now must be an ISO 8601 time like 2025-05-01T00:00:00Z, not "${f.now}".`);
      now = new Date(f.now);
    }
    let sealedRetention;
    try {
      sealedRetention = parseSealedRetentionFlags(f['sealed-retention-months'], f['sealed-retention-days']);
    } catch (err) {
      if (err instanceof RetentionConfigError) throw new UsageError(err.message);
      throw err;
    }
    const config = resolveConfig({ dataDir, sealing: { dir: f['sealed-dir'], retention: sealedRetention } });
    const log = createLogger();
    const db = openDatabase(dataDir);
    try {
      const result = await runRetention({ db, config, log, audit: new AuditLog(db), actor: 'cli' }, now);
      for (const line of result.lines) console.log(line);
      if (result.lines.length === 0) console.log(`nothing to delete at ${now.toISOString()}`);
      if (result.failed.length) {
        console.error(`retention run: ${result.failed.join(', ')} failed (see the log above)`);
        return 1;
      }
      return 0;
    } finally {
      db.close();
    }
  },
};
