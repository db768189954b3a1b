import fs from 'node:fs';
import path from 'node:path';
import { parseFlags, required, UsageError, type Command } from '../command/args';
import { openDatabase, STORE_FILE } from '../store/database';
import { AuditLog } from './audit-log';

/** `audit verify --data DIR`: walks the hash chain; exit 0 when intact, 1 naming the first bad entry. */
export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'check the audit log hash chain; exit 0 when intact, non-zero naming the first bad entry',
  usage: 'audit verify --data DIR',
  async run(argv) {
    const f = parseFlags(argv, { data: { type: 'string' } });
    const dataDir = path.resolve(required(f.data, '--data'));
    if (!fs.existsSync(path.join(dataDir, STORE_FILE))) throw new UsageError(`No store in ${dataDir} (expected ${STORE_FILE}).`);
    const db = openDatabase(dataDir);
    try {
      const result = new AuditLog(db).verify();
      if (result.ok) {
        console.log(`audit log intact: ${result.count} entries, head ${result.head.slice(0, 16)}…`);
        return 0;
      }
      console.error(`audit log damaged at entry ${result.badSeq}: ${result.reason} (${result.count} entries verified before it)`);
      return 1;
    } finally {
      db.close();
    }
  },
};
