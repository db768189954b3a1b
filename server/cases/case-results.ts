import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { UnsealedRecord } from '../../common/schemas/cases';
import { attachmentDisposition } from '../http/header-value';
import type { CaseRecord } from './case-repo';
import { viewFilter } from './record-filter';
import type { RecordStore } from './record-store';

/** Records parsed between two turns of the event loop while filtering or exporting. */
const SLICE = 2000;

/** One page of a case's records, optionally narrowed by ip/path/status (filtering yields to other requests). */
export async function pageRecords(
  store: RecordStore,
  q: { limit: number; offset: number; ip?: string; path?: string; status?: number },
): Promise<{ items: UnsealedRecord[]; total: number }> {
  if (!q.ip && !q.path && q.status === undefined) {
    const items: UnsealedRecord[] = [];
    for (let i = q.offset; i < Math.min(store.count, q.offset + q.limit); i++) items.push(store.record(i));
    return { items, total: store.count };
  }
  const keep = viewFilter(q);
  const items: UnsealedRecord[] = [];
  let total = 0;
  for (let i = 0; i < store.count; i++) {
    if (i % SLICE === SLICE - 1) await yieldToLoop();
    if (store.count === 0) break; // wiped meanwhile (case closed)
    const r = store.record(i);
    if (!keep(r)) continue;
    if (total >= q.offset && items.length < q.limit) items.push(r);
    total++;
  }
  return { items, total };
}

const CSV_COLUMNS = ['t', 'ip', 'method', 'url', 'status', 'bytes', 'referrer', 'userAgent'] as const;
export const CSV_HEADER = CSV_COLUMNS.join(',');

/** One RFC 4180 CSV row; cells a spreadsheet would run as a formula are prefixed with a quote. */
export function csvRow(r: UnsealedRecord): string {
  const cell = (v: string | number | null): string => {
    let s = v === null ? '' : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return CSV_COLUMNS.map((k) => cell(r[k])).join(',');
}

/** Streams every record of a case as a CSV or JSON download, minding back-pressure and disconnects. */
export async function streamExport(res: ServerResponse, rec: CaseRecord, store: RecordStore, format: 'csv' | 'json'): Promise<void> {
  res.statusCode = 200;
  res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
  res.setHeader('content-disposition', attachmentDisposition(`${rec.id}.${format}`));
  res.setHeader('cache-control', 'no-store');
  const head = JSON.stringify({ caseId: rec.id, window: { from: rec.from, to: rec.to }, filters: rec.filters });
  let chunk = format === 'csv' ? `${CSV_HEADER}\r\n` : `${head.slice(0, -1)},"records":[`;
  const total = store.count;
  for (let i = 0; i < total; i++) {
    if (store.count === 0) break; // wiped meanwhile (case closed)
    const r = store.record(i);
    chunk += format === 'csv' ? `${csvRow(r)}\r\n` : `${i ? ',' : ''}${JSON.stringify(r)}`;
    if (i % SLICE === SLICE - 1) {
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
      chunk = '';
      if (res.destroyed) {
        res.end(); // the client left: mark the response finished so nothing else is written
        return;
      }
      await yieldToLoop();
    }
  }
  res.end(format === 'csv' ? chunk : `${chunk}]}`);
}
