import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { createFirstAdmin, expectHeading, signIn, staffApi } from './harness/staff';
import { addStatsRows } from '../../server/test/stats-rows';

// A report across two customers: the statistics page opens on all campaigns over the last 7 days,
// breaks down by customer, compares with the week before and downloads the CSV.
const PASSWORD = 'correct horse battery';
let h: ConsoleHarness;
let cookie: string;

const api = staffApi(() => h.app.adminUrl, () => cookie);

beforeAll(async () => {
  h = await startConsoleHarness();
  cookie = await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
}, 120_000);
afterAll(async () => h?.close());

describe('reports in the console', () => {
  it('shows two customers over the last 7 days without choosing anything, splits by customer, compares and exports CSV', async () => {
    const now = Date.now();
    const start = new Date(now - 40 * 86_400_000).toISOString();
    const end = new Date(now + 30 * 86_400_000).toISOString();
    const made: Array<{ customer: string; campaign: string; site: string; zone: string }> = [];
    for (const name of ['Polarlicht AG', 'Nordwind GmbH']) {
      const customer = await api<{ id: string }>('POST', '/api/customers', { name, email: 'x@example.test', kind: 'both' });
      const site = await api<{ id: string }>('POST', '/api/sites', { customerId: customer.id, name: `${name} Site`, domain: 'pub.example' });
      const zone = await api<{ id: string }>('POST', '/api/zones', { siteId: site.id, name: `${name} Zone`, width: 300, height: 250 });
      const campaign = await api<{ id: string }>('POST', '/api/campaigns', { customerId: customer.id, name: `${name} Kampagne`, startsAt: start, endsAt: end, zoneIds: [zone.id] });
      made.push({ customer: customer.id, campaign: campaign.id, site: site.id, zone: zone.id });
    }
    // Rollup rows: two days ago (inside the last 7 days) and ten days ago (the week before).
    const hour = (daysAgo: number) => Math.floor((now - daysAgo * 86_400_000) / 3_600_000) * 3600;
    const row = (i: number, daysAgo: number, served: number, impressions: number, clicks: number) => ({
      hour: hour(daysAgo), campaignId: made[i]!.campaign, zoneId: made[i]!.zone, siteId: made[i]!.site, served, impressions, clicks,
    });
    addStatsRows(h.app, [row(0, 2, 120, 100, 4), row(1, 2, 60, 50, 1), row(0, 10, 80, 75, 2)]);

    const { page, watch } = await h.newPage();
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await page.goto(`${h.app.adminUrl}/statistics`);
    await expectHeading(page, 'Statistik');
    // Opens on all campaigns, last 7 days: both customers' impressions without any choice.
    await expect.poll(() => page.getByTestId('report-total-impressions').textContent()).toMatch(/150/);
    expect(await page.getByTestId('report-preset').inputValue()).toBe('last7');

    await page.getByTestId('report-by-customer').check();
    await page.getByTestId('report-compare').check();
    await page.getByTestId('report-filters').getByRole('button', { name: 'Anzeigen' }).click();
    await expect.poll(() => page.url()).toMatch(/by=customer/);
    expect(page.url()).toMatch(/compare=1/);
    // The week before had 75 impressions: +100 %.
    await expect.poll(() => page.getByTestId('report-total-impressions').textContent()).toMatch(/\+100\s%/);
    await expect.poll(() => page.locator('table').first().textContent()).toMatch(/Polarlicht AG/);
    expect(await page.locator('table').first().textContent()).toMatch(/Nordwind GmbH/);
    await screenshot(page, 'reports-de');

    const download = page.waitForEvent('download');
    await page.getByTestId('stats-csv').click();
    const csv = fs.readFileSync((await (await download).path())!, 'utf8').trim().split('\r\n');
    expect(csv[0]).toMatch(/^customer,name,time,served,impressions/);
    const impressionsOf = (name: string) => csv.filter((l) => l.includes(name)).reduce((a, l) => a + Number(l.split(',')[4]), 0);
    expect(impressionsOf('Polarlicht AG')).toBe(100);
    expect(impressionsOf('Nordwind GmbH')).toBe(50);

    // The URL keeps the report: a reload shows the same breakdown.
    await page.reload();
    await expect.poll(() => page.locator('table').first().textContent()).toMatch(/Nordwind GmbH/);
    await page.getByTestId('locale-switch').selectOption('en');
    await expectHeading(page, 'Statistics');
    await screenshot(page, 'reports-en');
    await page.getByTestId('locale-switch').selectOption('de');
    expectCleanPage(watch);
  }, 120_000);
});
