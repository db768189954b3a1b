import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseRecord } from './case-repo';
import { streamExport } from './case-results';
import { RecordStore } from './record-store';

// The export's file name comes from the stored case: whatever it holds, the download header stays valid.
const ODD_IDS = ['cas_€ "quoted"', 'cas_\r\nset-cookie: sid=x', 'cas_ünïcode'];

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rec = { id: ODD_IDS[Number(url.searchParams.get('i'))]!, from: '2025-01-01T00:00:00Z', to: '2025-01-02T00:00:00Z', filters: {} } as CaseRecord;
    const store = new RecordStore();
    store.appendLine(JSON.stringify({ t: '2025-01-01T10:00:00Z', ip: '192.0.2.1', method: 'GET', url: '/v1/imp/x', status: 200, bytes: 43, referrer: null, userAgent: null }));
    streamExport(res, rec, store, url.searchParams.get('f') === 'json' ? 'json' : 'csv').catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('case export download header', () => {
  it('names the file in ASCII plus its exact UTF-8 name, never breaking or splitting the response', async () => {
    for (let i = 0; i < ODD_IDS.length; i++) {
      for (const format of ['csv', 'json']) {
        const res = await fetch(`${base}/?i=${i}&f=${format}`);
        expect(res.status, ODD_IDS[i]).toBe(200);
        const disposition = res.headers.get('content-disposition')!;
        expect(disposition).toMatch(new RegExp(`^attachment; filename="[A-Za-z0-9._-]+\\.${format}"; filename\\*=UTF-8''[A-Za-z0-9%._~!-]+$`));
        expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(`${ODD_IDS[i]}.${format}`);
        expect(res.headers.get('set-cookie')).toBeNull();
        expect(await res.text()).toContain('192.0.2.1');
      }
    }
  });
});
