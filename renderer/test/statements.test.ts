import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthOf, previousMonth } from '../../common/schemas/statement';
import { missing, PDFTOTEXT } from '../../node/test/requirements';
import { Seeder } from '../../server/delivery/test/seed';
import { signInAs } from '../../server/test/admin-client';
import { screenshot } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { createFirstAdmin, expectHeading, signIn } from './harness/staff';

// An account manager opens a customer, picks a month, previews the statement and downloads its PDF,
// whose text (read back with pdftotext) carries the customer and the total.
const PASSWORD = 'correct horse battery';
const lastMonth = previousMonth(monthOf(new Date()));
const monthBefore = previousMonth(lastMonth);
let h: ConsoleHarness;
let customerId: string;
let siteId: string;
let total: () => Promise<string>;

beforeAll(async () => {
  h = await startConsoleHarness();
  await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
  const seed = new Seeder(h.app.ctx.db);
  customerId = seed.customer();
  h.app.ctx.db.prepare("UPDATE customers SET name = 'Bäckerei Müller GmbH' WHERE id = ?").run(customerId);
  const [y, m] = lastMonth.split('-').map(Number) as [number, number];
  const flight = { customerId, startsAt: new Date(Date.UTC(y, m - 4, 1)), endsAt: new Date(Date.UTC(y, m + 1, 1)) };
  const priced = seed.simple(flight);
  const unpriced = seed.simple(flight);
  siteId = priced.siteId;
  h.app.ctx.db.prepare("UPDATE campaigns SET name = 'Herbst TKP' WHERE id = ?").run(priced.campaignId);
  h.app.ctx.db.prepare("UPDATE campaigns SET name = 'Ohne Preis' WHERE id = ?").run(unpriced.campaignId);
  const manager = await signInAs(h.app, 'manager');
  expect((await manager.post(`/api/campaigns/${priced.campaignId}/prices`, { model: 'cpm', amount: 4, effectiveFrom: flight.startsAt.toISOString() })).status).toBe(201);
  const stats = h.app.services.stats.repo;
  const hour = Date.UTC(y, m - 1, 15, 10) / 1000; // the 15th of last month
  stats.transaction(() => {
    for (const [s, impressions] of [[priced, 2500], [unpriced, 40]] as const) {
      stats.add({ hour, campaignId: s.campaignId, creativeId: s.creativeId, zoneId: s.zoneId, siteId: s.siteId, country: '', served: impressions, impressions, clicks: 3, viewable: 0, measurable: 0 });
    }
  });
}, 120_000);
afterAll(() => h?.close());

describe.skipIf(missing(PDFTOTEXT))('monthly statement in the console', () => {
  it('previews last month by default, changes month, downloads the PDF with the total; German and English', async () => {
    const { page, watch } = await h.newPage();
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await page.goto(`${h.app.adminUrl}/customers/${customerId}`);
    await expectHeading(page, 'Bäckerei Müller GmbH');
    const panel = page.getByTestId('statements');
    // Intl puts a no-break space before the euro sign.
    total = async () => ((await page.getByTestId('statement-total').textContent()) ?? '').replace(/\u00a0/g, ' ');
    await expect.poll(() => panel.getByRole('heading').textContent()).toBe('Monatsaufstellungen');
    expect(await page.getByTestId('statement-month').inputValue()).toBe(lastMonth);
    await expect.poll(() => total()).toContain('10,00 €');
    expect(await panel.textContent()).toContain('kein Preis');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, '60-customer-statement');

    // The month before: the campaigns ran (listed) but delivered nothing; then back.
    await page.getByTestId('statement-month').fill(monthBefore);
    await expect.poll(total).toBe('Summe00000,00 €');
    await page.getByTestId('statement-month').fill(lastMonth);
    await expect.poll(() => total()).toContain('10,00 €');

    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'PDF herunterladen' }).click()]);
    expect(download.suggestedFilename()).toBe(`statement-${customerId}-${lastMonth}-de.pdf`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'statement-ui-'));
    try {
      const file = path.join(dir, 'statement.pdf');
      await download.saveAs(file);
      const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
      for (const s of ['Kunde: Bäckerei Müller GmbH', 'Herbst TKP', 'TKP 4,00 €', '10,00 €', 'Summe', 'kein Preis']) expect(text, s).toContain(s);
      expect(text).toMatch(/Summe\s+2\.540\s+2\.540\s+0\s+6\s+10,00 €/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    await page.getByTestId('locale-switch').selectOption('en');
    await expect.poll(() => panel.getByRole('heading').textContent()).toBe('Monthly statements');
    await expect.poll(() => total()).toContain('€10.00');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, '60-customer-statement-en');

    // The publisher's site has its statement too.
    await page.goto(`${h.app.adminUrl}/sites/${siteId}`);
    await expect.poll(() => total()).toContain('€10.00');
    await page.getByTestId('statements').scrollIntoViewIfNeeded();
    await screenshot(page, '61-site-statement-en');
    await page.getByTestId('locale-switch').selectOption('de');
    await expect.poll(() => total()).toContain('10,00 €');
    await screenshot(page, '61-site-statement');
    expectCleanPage(watch);
  }, 90_000);
});
