import fs from 'node:fs';
import path from 'node:path';
import { listMonths } from '../sealing/segment-reader';
import { sealedDeletionTime } from './retention-period';
import type { RetentionTask } from './retention-task';

/** Deletes each month's sealed segments (and torn side files) once its retention has ended. */
export const sealedLogRetention: RetentionTask = {
  name: 'sealed-logs',
  run(env, now) {
    const { dir: sealedDir, retention: sealedRetention } = env.config.sealing;
    const deletedMonths: string[] = [];
    let files = 0;
    let bytes = 0;
    const lines: string[] = [];
    for (const month of listMonths(sealedDir)) {
      const due = sealedDeletionTime(month, sealedRetention);
      if (!due || now.getTime() < due.getTime()) continue;
      const dir = path.join(sealedDir, month);
      let monthFiles = 0;
      let monthBytes = 0;
      for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const file = path.join(entry.parentPath, entry.name);
        monthBytes += fs.statSync(file).size;
        fs.unlinkSync(file);
        monthFiles++;
      }
      fs.rmSync(dir, { recursive: true, force: true });
      deletedMonths.push(month);
      files += monthFiles;
      bytes += monthBytes;
      lines.push(`deleted sealed access logs of ${month} (${monthFiles} files, ${monthBytes} bytes; due ${due.toISOString()})`);
    }
    return { details: { deletedMonths, files, bytes }, lines };
  },
  nextDue(env, now) {
    let next: Date | null = null;
    for (const month of listMonths(env.config.sealing.dir)) {
      const due = sealedDeletionTime(month, env.config.sealing.retention);
      if (due && due > now && (!next || due < next)) next = due;
    }
    return next;
  },
};
