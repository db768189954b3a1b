import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missing, PDFTOTEXT } from '../../node/test/requirements';
import { Seeder, testClock } from '../delivery/test/seed';
import { signInAs, type AdminClient } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';

// Monthly statements over HTTP: amounts for every price model across price changes inside the
// month, rounding per line, campaigns without a price, Europe/Berlin month boundaries, CSV and PDF.
const clock = testClock('2025-07-10T10:00:00Z');
const JUNE = { from: '2025-05-31T22:00:00.000Z', to: '2025-06-30T22:00:00.000Z' }; // June in Europe/Berlin (CEST, UTC+2)

let app: TestApp;
let manager: AdminClient;
let customerId: string;
let site: { siteId: string; zoneId: string };
const c: Record<'cpm' | 'vcpm' | 'cpc' | 'flat' | 'none', { campaignId: string; creativeId: string; zoneId: string; siteId: string }> = {} as never;

/** Adds counts to the hourly rollup of the campaign's own zone (or another placement). */
function count(s: { campaignId: string; creativeId: string; zoneId: string; siteId: string }, hourIso: string, n: Partial<Record<'served' | 'impressions' | 'viewable' | 'clicks', number>>) {
  const stats = app.services.stats.repo;
  stats.transaction(() =>
    stats.add({
      hour: Date.parse(hourIso) / 1000, campaignId: s.campaignId, creativeId: s.creativeId, zoneId: s.zoneId, siteId: s.siteId, country: '',
      served: n.served ?? n.impressions ?? 0, impressions: n.impressions ?? 0, clicks: n.clicks ?? 0, viewable: n.viewable ?? 0, measurable: n.viewable ?? 0,
    }),
  );
}

async function price(campaignId: string, model: string, amount: number, effectiveFrom: string) {
  const res = await manager.post(`/api/campaigns/${campaignId}/prices`, { model, amount, effectiveFrom });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
}

beforeAll(async () => {
  app = await startTestApp({}, { now: clock.now });
  const seed = new Seeder(app.ctx.db, clock.now());
  const db = app.ctx.db;
  customerId = seed.customer();
  db.prepare("UPDATE customers SET name = 'Bäckerei Müller GmbH' WHERE id = ?").run(customerId);
  const flight = { customerId, startsAt: new Date('2025-05-01T00:00:00Z'), endsAt: new Date('2025-08-01T00:00:00Z') };
  const names = { cpm: '1 Sommer CPM', vcpm: '2 Sichtbar vCPM', cpc: '3 Klicks CPC', flat: '4 Festpreis', none: '5 Ohne Preis' };
  for (const model of ['cpm', 'vcpm', 'cpc', 'flat', 'none'] as const) {
    // The flat fee's flight: 16 June to 16 July (720 hours), so June holds part of it.
    const f = model === 'flat' ? { ...flight, startsAt: new Date('2025-06-16T00:00:00Z'), endsAt: new Date('2025-07-16T00:00:00Z') } : flight;
    c[model] = seed.simple(f);
    db.prepare('UPDATE campaigns SET name = ? WHERE id = ?').run(names[model], c[model].campaignId);
  }
  // Another customer's campaign never shows up.
  count(seed.simple({ startsAt: flight.startsAt, endsAt: flight.endsAt }), '2025-06-10T10:00:00Z', { impressions: 999 });
  manager = await signInAs(app, 'manager');

  await price(c.cpm.campaignId, 'cpm', 2, '2025-05-01T00:00:00Z');
  await price(c.cpm.campaignId, 'cpm', 5, '2025-06-15T00:00:00Z');
  count(c.cpm, '2025-06-10T10:00:00Z', { impressions: 1000 }); // 2.00
  count(c.cpm, '2025-06-20T10:00:00Z', { impressions: 333 }); // 1.665 → line 3.665 → 3.67

  await price(c.vcpm.campaignId, 'vcpm', 10, '2025-05-01T00:00:00Z');
  await price(c.vcpm.campaignId, 'vcpm', 20, '2025-06-20T00:00:00Z');
  count(c.vcpm, '2025-06-05T08:00:00Z', { impressions: 400, viewable: 250 }); // 2.50
  count(c.vcpm, '2025-06-25T08:00:00Z', { impressions: 20, viewable: 10 }); // 0.20

  await price(c.cpc.campaignId, 'cpc', 0.35, '2025-05-01T00:00:00Z');
  await price(c.cpc.campaignId, 'cpc', 0.5, '2025-06-15T00:00:00Z');
  count(c.cpc, '2025-06-14T12:00:00Z', { impressions: 100, clicks: 7 }); // 2.45
  count(c.cpc, '2025-06-16T12:00:00Z', { impressions: 50, clicks: 3 }); // 1.50

  // 300 € for 720 h; from 26 June 600 €: 240 h × 300/720 + 118 h (to 30 June 22:00 UTC) × 600/720 = 100 + 98.333…
  await price(c.flat.campaignId, 'flat', 300, '2025-06-16T00:00:00Z');
  await price(c.flat.campaignId, 'flat', 600, '2025-06-26T00:00:00Z');
  // The flat campaign also delivered on the CPM campaign's site.
  count({ ...c.flat, zoneId: c.cpm.zoneId, siteId: c.cpm.siteId }, '2025-06-20T10:00:00Z', { impressions: 40 });

  // Month boundaries in Europe/Berlin: 23:00 on 31 May and 00:00 on 1 July are outside June.
  count(c.none, '2025-05-31T21:00:00Z', { served: 50 }); // 31 May 23:00 local
  count(c.none, '2025-05-31T22:00:00Z', { served: 3 }); // 1 June 00:00 local
  count(c.none, '2025-06-30T21:00:00Z', { served: 7 }); // 30 June 23:00 local
  count(c.none, '2025-06-30T22:00:00Z', { served: 100 }); // 1 July 00:00 local
  site = { siteId: c.cpm.siteId, zoneId: c.cpm.zoneId };
});
afterAll(() => app?.dispose());

describe('customer statement', () => {
  it('has every price model’s amount across price changes, rounded per line, and counts without a price', async () => {
    const res = await manager.get(`/api/customers/${customerId}/statements/2025-06`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const s = res.body;
    expect(s).toMatchObject({ kind: 'customer', month: '2025-06', timeZone: 'Europe/Berlin', ...JUNE, customer: { id: customerId, name: 'Bäckerei Müller GmbH' }, agency: 'Creative Engine' });
    const lines = s.lines.map((l: { campaignName: string; served: number; impressions: number; viewable: number; clicks: number; amount: number | null; prices: Array<{ model: string; amount: number; from: string }> }) =>
      [l.campaignName, l.served, l.impressions, l.viewable, l.clicks, l.amount, l.prices.map((p) => `${p.model} ${p.amount} ${p.from}`)]);
    expect(lines).toEqual([
      ['1 Sommer CPM', 1333, 1333, 0, 0, 3.67, ['cpm 2 2025-05-31T22:00:00.000Z', 'cpm 5 2025-06-15T00:00:00.000Z']],
      ['2 Sichtbar vCPM', 420, 420, 260, 0, 2.7, ['vcpm 10 2025-05-31T22:00:00.000Z', 'vcpm 20 2025-06-20T00:00:00.000Z']],
      ['3 Klicks CPC', 150, 150, 0, 10, 3.95, ['cpc 0.35 2025-05-31T22:00:00.000Z', 'cpc 0.5 2025-06-15T00:00:00.000Z']],
      ['4 Festpreis', 40, 40, 0, 0, 198.33, ['flat 300 2025-05-31T22:00:00.000Z', 'flat 600 2025-06-26T00:00:00.000Z']],
      ['5 Ohne Preis', 10, 0, 0, 0, null, []],
    ]);
    // The total is the sum of the rounded lines, not the rounded sum (208.648…).
    expect(s.total).toEqual({ served: 1953, impressions: 1943, viewable: 260, clicks: 10, amount: 208.65 });
  });

  it('computes the same revenue as the statistics (before rounding)', async () => {
    const totals = await manager.get(`/api/customers/${customerId}/totals?from=${JUNE.from}&to=${JUNE.to}`);
    expect(totals.status).toBe(200);
    expect(totals.body.revenue).toBeCloseTo(3.665 + 2.7 + 3.95 + 100 + (600 * 118) / 720, 5);
  });

  it('counts up to 23:00 of the last day and from 00:00 of the first (operator time zone)', async () => {
    const july = await manager.get(`/api/customers/${customerId}/statements/2025-07`);
    expect(july.status).toBe(200);
    expect(july.body.lines.find((l: { campaignName: string }) => l.campaignName === '5 Ohne Preis').served).toBe(100);
    const may = await manager.get(`/api/customers/${customerId}/statements/2025-05`);
    expect(may.body.lines.find((l: { campaignName: string }) => l.campaignName === '5 Ohne Preis').served).toBe(50);
    // The flat fee's flight starts in June: nothing in May; July is running (clock 10 July 10:00 UTC),
    // so it holds the share up to the end of the current hour only: 30 June 22:00 → 10 July 11:00 = 229 h.
    expect(may.body.lines.find((l: { campaignName: string }) => l.campaignName === '4 Festpreis')).toBeUndefined();
    expect(july.body.lines.find((l: { campaignName: string }) => l.campaignName === '4 Festpreis').amount).toBe(190.83);
  });

  it('answers the exact CSV, in English and German', async () => {
    const en = await manager.get(`/api/customers/${customerId}/statements/2025-06.csv?lang=en`);
    expect(en.status).toBe(200);
    expect(en.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(en.headers.get('content-disposition')).toBe(`attachment; filename="statement-${customerId}-2025-06-en.csv"`);
    expect(en.body).toBe(
      [
        'Campaign,Campaign id,Served,Impressions,Viewable,Clicks,Price,Amount (EUR)',
        `1 Sommer CPM,${c.cpm.campaignId},1333,1333,0,0,"CPM €2.00; CPM €5.00 from 15/06/2025, 02:00",3.67`,
        `2 Sichtbar vCPM,${c.vcpm.campaignId},420,420,260,0,"vCPM €10.00; vCPM €20.00 from 20/06/2025, 02:00",2.70`,
        `3 Klicks CPC,${c.cpc.campaignId},150,150,0,10,"CPC €0.35; CPC €0.50 from 15/06/2025, 02:00",3.95`,
        `4 Festpreis,${c.flat.campaignId},40,40,0,0,"flat fee €300.00; flat fee €600.00 from 26/06/2025, 02:00",198.33`,
        `5 Ohne Preis,${c.none.campaignId},10,0,0,0,no price,`,
        'Total,,1953,1943,260,10,,208.65',
        '',
      ].join('\r\n'),
    );
    const de = await manager.get(`/api/customers/${customerId}/statements/2025-06?format=csv`);
    expect(de.body.split('\r\n')[0]).toBe('Kampagne,Kampagnen-ID,Ausgeliefert,Einblendungen,Sichtbar,Klicks,Preis,Betrag (EUR)');
    expect(de.body.split('\r\n')[1]).toBe(`1 Sommer CPM,${c.cpm.campaignId},1333,1333,0,0,"TKP 2,00 €; TKP 5,00 € ab 15.06.25, 02:00",3.67`);
    expect(de.body).toContain(',kein Preis,\r\nSumme,,1953,');
  });
});

describe('site statement', () => {
  it('lists each zone and campaign delivered on the site with the counted amounts; flat fees are not split', async () => {
    const res = await manager.get(`/api/sites/${site.siteId}/statements/2025-06`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.kind).toBe('site');
    expect(res.body.lines.map((l: { zoneId: string; campaignName: string; impressions: number; amount: number | null; flatFeeExcluded: boolean }) => [l.zoneId, l.campaignName, l.impressions, l.amount, l.flatFeeExcluded])).toEqual([
      [site.zoneId, '1 Sommer CPM', 1333, 3.67, false],
      [site.zoneId, '4 Festpreis', 40, 0, true],
    ]);
    expect(res.body.total).toMatchObject({ impressions: 1373, amount: 3.67 });
    const csv = await manager.get(`/api/sites/${site.siteId}/statements/2025-06.csv?lang=en`);
    expect(csv.body.split('\r\n')[0]).toBe('Zone,Zone id,Campaign,Campaign id,Served,Impressions,Viewable,Clicks,Price,Amount (EUR)');
    expect(csv.body).toContain('(flat fee not split per site)",0.00\r\n,,Total,,1373,1373,0,0,,3.67\r\n');
    const german = await manager.get(`/api/sites/${site.siteId}/statements/2025-06.csv?lang=de`);
    expect(german.body.split('\r\n')[0]).toBe('Werbefläche,Werbeflächen-ID,Kampagne,Kampagnen-ID,Ausgeliefert,Einblendungen,Sichtbar,Klicks,Preis,Betrag (EUR)');
  });
});

describe('statement access and validation', () => {
  it('is for the roles that read statistics and finance; reviewers and the DPO get 403', async () => {
    for (const role of ['analyst', 'management', 'admin'] as const) {
      expect((await (await signInAs(app, role)).get(`/api/customers/${customerId}/statements/2025-06`)).status, role).toBe(200);
    }
    for (const role of ['reviewer', 'dpo'] as const) {
      const client = await signInAs(app, role);
      expect((await client.get(`/api/customers/${customerId}/statements/2025-06`)).status, role).toBe(403);
      expect((await client.get(`/api/sites/${site.siteId}/statements/2025-06.pdf`)).status, role).toBe(403);
    }
  });

  it('refuses bad and future months with 400 and says which months are allowed', async () => {
    for (const month of ['2025-13', '2025-6', '25-06', '2025-00', 'juni', '2019-12', '2025-08', '9999-01', '2025-06.xls']) {
      const res = await manager.get(`/api/customers/${customerId}/statements/${month}`);
      expect(res.status, month).toBe(400);
      if (month.endsWith('.xls')) continue;
      expect(res.body.error, month).toMatchObject({ code: 'statement_month_invalid', params: { earliest: '2020-01', latest: '2025-07' } });
    }
    expect((await manager.get(`/api/customers/${customerId}/statements/2025-06?format=xls`)).status).toBe(400);
    expect((await manager.get(`/api/customers/${customerId}/statements/2025-06?lang=fr`)).status).toBe(400);
    expect((await manager.get('/api/customers/customer_unknown/statements/2025-06')).status).toBe(404);
    expect((await manager.get('/api/sites/site_unknown/statements/2025-06.csv')).status).toBe(404);
  });
});

describe.skipIf(missing(PDFTOTEXT))('statement PDF', () => {
  /** The text of a PDF as pdftotext reads it. */
  function pdfText(pdf: Buffer): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'statement-'));
    try {
      fs.writeFileSync(path.join(dir, 's.pdf'), pdf);
      return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', path.join(dir, 's.pdf'), '-'], { encoding: 'utf8' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const download = async (p: string) => {
    const res = await fetch(`${app.adminUrl}${p}`, { headers: { cookie: manager.cookie!, 'x-requested-with': 'creative-engine' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    return Buffer.from(await res.arrayBuffer());
  };

  it('holds customer, month, lines and totals with € and umlauts, in German by default', async () => {
    const text = pdfText(await download(`/api/customers/${customerId}/statements/2025-06.pdf`));
    for (const s of ['Creative Engine', 'Monatsaufstellung', 'Kunde: Bäckerei Müller GmbH', 'Monat: Juni 2025', '3,67 €', '198,33 €', '208,65 €', 'kein Preis', 'Summe', 'je Kampagnenzeile auf den Cent gerundet', 'Europe/Berlin', 'Erstellt am: 10.07.25, 12:00']) {
      expect(text, s).toContain(s);
    }
  });

  it('speaks English with ?lang=en, and the site statement too', async () => {
    const text = pdfText(await download(`/api/customers/${customerId}/statements/2025-06.pdf?lang=en`));
    for (const s of ['Monthly statement', 'Customer: Bäckerei Müller GmbH', 'Month: June 2025', '€208.65', 'no price', 'Amounts rounded to the cent per campaign line']) expect(text, s).toContain(s);
    const siteText = pdfText(await download(`/api/sites/${site.siteId}/statements/2025-06?format=pdf`));
    for (const s of ['Monatsaufstellung Website', 'Publisher: Test customer', 'Test site (pub.example)', 'Test zone', '3,67 €', 'Pauschalen gelten je Kampagne']) expect(siteText, s).toContain(s);
  });
});
