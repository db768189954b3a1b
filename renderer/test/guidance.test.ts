import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, type PageWatch } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { createFirstAdmin, createStaff, expectHeading, signIn, staffApi } from './harness/staff';
import { addStatsRows } from '../../server/test/stats-rows';

// Guidance for a new installation: the overview's setup checklist (from real data, with links to
// where each step is done), the 7-day trend, the keys page's enrolment guide, a customer's "add
// site / add campaign" and the readable, filterable audit log.
const PASSWORD = 'correct horse battery';
let h: ConsoleHarness;
let cookie: string;
let page: Page;
let watch: PageWatch;

const api = staffApi(() => h.app.adminUrl, () => cookie);
const stepDone = (key: string) => page.getByTestId(`setup-step-${key}`).getAttribute('data-done');

async function bothLanguages(name: string, heading: { de: string; en: string }): Promise<void> {
  await screenshot(page, `${name}-de`);
  await page.getByTestId('locale-switch').selectOption('en');
  await expectHeading(page, heading.en);
  await screenshot(page, `${name}-en`);
  await page.getByTestId('locale-switch').selectOption('de');
  await expectHeading(page, heading.de);
}

beforeAll(async () => {
  h = await startConsoleHarness();
  cookie = await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
  ({ page, watch } = await h.newPage());
}, 120_000);
afterAll(async () => h?.close());

describe('guidance in the console', () => {
  it('shows an empty installation a checklist of undone steps; a customer made over the API ticks its step; the next link opens the site form for it', async () => {
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await expect.poll(() => page.getByTestId('setup-checklist').isVisible()).toBe(true);
    for (const key of ['customer', 'site', 'zone', 'campaign', 'creative', 'tag', 'approvers', 'ceremony']) expect(await stepDone(key), key).toBe('false');
    expect(await page.getByTestId('setup-progress').textContent()).toBe('0 von 8 Schritten erledigt');
    expect(await page.getByTestId('trend-empty').isVisible()).toBe(true);
    await bothLanguages('overview-empty', { de: 'Übersicht', en: 'Dashboard' });

    const customer = await api<{ id: string }>('POST', '/api/customers', { name: 'Polarlicht AG', email: 'x@example.test', kind: 'both' });
    await page.reload();
    await expect.poll(() => stepDone('customer')).toBe('true');
    expect(await stepDone('site')).toBe('false');
    expect(await page.getByTestId('setup-go-customer').count()).toBe(0);
    await page.getByTestId('setup-go-site').click();
    await expectHeading(page, 'Websites & Apps');
    expect(new URL(page.url()).searchParams.get('customerId')).toBe(customer.id);
    await expect.poll(() => page.getByTestId('site-form').getByTestId('customer-select').inputValue()).toBe(customer.id);
    expectCleanPage(watch);
  }, 120_000);

  it('explains enrolment on the keys page while no approver is enrolled, linked from the checklist', async () => {
    await page.goto(`${h.app.adminUrl}/`);
    await page.getByTestId('setup-go-approvers').click();
    await expectHeading(page, 'Schlüssel');
    const guide = page.getByTestId('enrolment-guide');
    await expect.poll(() => guide.isVisible()).toBe(true);
    expect(await guide.textContent()).toContain('„Meinen Schlüssel im Schlüsselbund erzeugen und registrieren“');
    expect(await page.getByTestId('enrol-command').textContent()).toBe(`creative-engine approver enroll --server ${h.adminOrigin} --email IHRE-E-MAIL-ADRESSE --password-stdin`);
    await bothLanguages('keys-enrolment-guide', { de: 'Schlüssel', en: 'Keys' });
    expectCleanPage(watch);
  }, 60_000);

  it('offers "add site" and "add campaign" on a customer page, each opening its form with the customer chosen', async () => {
    const { items } = await api<{ items: Array<{ id: string; name: string }> }>('GET', '/api/customers');
    const customer = items.find((c) => c.name === 'Polarlicht AG')!;
    await page.goto(`${h.app.adminUrl}/customers/${customer.id}`);
    await expectHeading(page, 'Polarlicht AG');
    await expect.poll(() => page.getByTestId('customer-add-site').isVisible()).toBe(true);
    await bothLanguages('customer-actions', { de: 'Polarlicht AG', en: 'Polarlicht AG' });
    await page.getByTestId('customer-add-campaign').click();
    await expectHeading(page, 'Neue Kampagne');
    await expect.poll(() => page.getByTestId('customer-select').first().inputValue()).toBe(customer.id);
    await page.goBack();
    await page.getByTestId('customer-add-site').click();
    await expectHeading(page, 'Websites & Apps');
    await expect.poll(() => page.getByTestId('site-form').getByTestId('customer-select').inputValue()).toBe(customer.id);
    expectCleanPage(watch);
  }, 60_000);

  it('ticks the catalogue steps and draws the 7-day trend once there is data', async () => {
    const { items } = await api<{ items: Array<{ id: string; name: string }> }>('GET', '/api/customers');
    const customerId = items.find((c) => c.name === 'Polarlicht AG')!.id;
    const now = Date.now();
    const site = await api<{ id: string }>('POST', '/api/sites', { customerId, name: 'Polarlicht Blog', domain: 'blog.example' });
    const zone = await api<{ id: string }>('POST', '/api/zones', { siteId: site.id, name: 'Seitenleiste', width: 300, height: 250 });
    const campaign = await api<{ id: string }>('POST', '/api/campaigns', {
      customerId, name: 'Winterkampagne', startsAt: new Date(now - 10 * 86_400_000).toISOString(), endsAt: new Date(now + 30 * 86_400_000).toISOString(), zoneIds: [zone.id],
    });
    await api('POST', '/api/creatives', { campaignId: campaign.id, width: 300, height: 250, html: '<b>Winter</b>', landingUrl: 'https://polarlicht.example/', alt: 'Winter' });
    // Hourly rollups on four of the last seven days (what the zone's tag caused).
    const hour = (daysAgo: number) => Math.floor((now - daysAgo * 86_400_000) / 3_600_000) * 3600;
    addStatsRows(
      h.app,
      ([[5, 400, 380, 9], [3, 900, 850, 20], [2, 650, 600, 11], [1, 1200, 1150, 30]] as const).map(([daysAgo, served, impressions, clicks]) => ({
        hour: hour(daysAgo), campaignId: campaign.id, zoneId: zone.id, siteId: site.id, served, impressions, clicks,
      })),
    );

    await page.goto(`${h.app.adminUrl}/`);
    await expect.poll(() => stepDone('tag')).toBe('true');
    for (const key of ['customer', 'site', 'zone', 'campaign', 'creative']) expect(await stepDone(key), key).toBe('true');
    expect(await stepDone('approvers')).toBe('false');
    expect(await page.getByTestId('setup-progress').textContent()).toBe('6 von 8 Schritten erledigt');
    // The checklist stays until every step is done: no way to hide it yet.
    expect(await page.getByTestId('setup-hide').count()).toBe(0);

    const chart = page.getByTestId('trend').getByTestId('series-chart');
    await expect.poll(() => chart.isVisible()).toBe(true);
    expect(await page.getByTestId('trend-empty').count()).toBe(0);
    // Chart.js drew the lines: the canvas holds far more than an empty frame's pixels.
    const painted = () =>
      chart.evaluate((c: HTMLCanvasElement) => {
        const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n;
      });
    await expect.poll(painted).toBeGreaterThan(5000);
    await bothLanguages('overview-with-data', { de: 'Übersicht', en: 'Dashboard' });
    expectCleanPage(watch);
  }, 120_000);

  it('shows the audit log as readable actions with named targets and filters it by action', async () => {
    await page.goto(`${h.app.adminUrl}/audit`);
    await expectHeading(page, 'Prüfprotokoll');
    await expect.poll(() => page.getByTestId('audit-action').count()).toBeGreaterThan(5);
    await page.getByTestId('audit-filter-action').selectOption({ label: 'Kampagne angelegt' });
    await page.getByTestId('audit-filter-apply').click();
    await expect.poll(() => page.getByTestId('audit-action').allTextContents()).toEqual(['Kampagne angelegt']);
    const target = page.getByTestId('audit-target').first();
    expect(await target.textContent()).toMatch(/Kampagne\s*Winterkampagne/);
    expect(await target.getByRole('link', { name: 'Winterkampagne' }).getAttribute('href')).toMatch(/^\/campaigns\/cmp_/);
    // Details read as labelled fields, not as JSON.
    const details = (await page.getByTestId('audit-details').first().innerText()).replace(/\s+/g, ' ');
    expect(details).toContain('Felder: Kunde, Name, Beginn, Ende, Werbeflächen');
    expect(details).not.toMatch(/[{}"]/);
    // No filter field overlaps the next one (a long action text once widened its column).
    const boxes = await page.getByTestId('audit-filters').locator('label').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().toJSON() as DOMRect));
    for (const a of boxes) for (const b of boxes) if (a !== b) expect(a.right <= b.left + 0.5 || b.right <= a.left + 0.5 || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5, 'filter fields overlap').toBe(true);
    for (const control of await page.getByTestId('audit-filters').locator('select, input').all()) {
      const [box, label] = await control.evaluate((c) => [c.getBoundingClientRect().right, c.closest('label')!.getBoundingClientRect().right]);
      expect(box).toBeLessThanOrEqual(label + 0.5);
    }
    await bothLanguages('audit-log', { de: 'Prüfprotokoll', en: 'Audit log' });
    // The filter holds across the language switch; the action reads in English now.
    await page.getByTestId('locale-switch').selectOption('en');
    await expect.poll(() => page.getByTestId('audit-action').allTextContents()).toEqual(['Campaign created']);
    await page.getByTestId('locale-switch').selectOption('de');
    await page.getByTestId('audit-filter-kind').selectOption('customer');
    await page.getByTestId('audit-filter-action').selectOption('');
    await page.getByTestId('audit-filter-apply').click();
    await expect.poll(() => page.getByTestId('audit-action').allTextContents()).toEqual(['Kunde angelegt']);
    // A zone has no page of its own: its name links to its site's page.
    await page.getByTestId('audit-filter-kind').selectOption('zone');
    await page.getByTestId('audit-filter-apply').click();
    await expect.poll(() => page.getByTestId('audit-action').allTextContents()).toEqual(['Werbefläche angelegt']);
    expect(await page.getByTestId('audit-target').getByRole('link', { name: 'Seitenleiste' }).getAttribute('href')).toMatch(/^\/sites\/sit_/);
    // The URL keeps the filter: a reload shows the same entries.
    expect(new URL(page.url()).searchParams.get('targetKind')).toBe('zone');
    await page.reload();
    await expect.poll(() => page.getByTestId('audit-action').allTextContents()).toEqual(['Werbefläche angelegt']);
    expect(await page.getByTestId('audit-filter-kind').inputValue()).toBe('zone');
    expectCleanPage(watch);
  }, 60_000);

  it('lets the user hide the checklist once every step is done, and keeps it hidden', async () => {
    // Two approvers enrolled and a ceremony recorded, written to the store as the real enrolment and
    // ceremony would (their keychain side is the case journey's subject, not this one's).
    const db = h.app.ctx.db;
    for (const [email, role] of [['mia@example.test', 'management'], ['dora@example.test', 'dpo']] as const) {
      const id = await createStaff(h.app.adminUrl, cookie, { email, name: email, password: 'correct horse battery', roles: [role] });
      db.prepare('INSERT INTO approver_keys (user_id, public_key, enrolled_at) VALUES (?, ?, ?)').run(id, `age1${role}`, new Date().toISOString());
    }
    await page.goto(`${h.app.adminUrl}/`);
    await expect.poll(() => stepDone('approvers')).toBe('true');
    expect(await stepDone('ceremony')).toBe('false');
    expect(await page.getByTestId('setup-hide').count()).toBe(0);
    db.prepare("INSERT INTO key_ceremonies (key_id, recipient, threshold, share_count, created_by, created_at) VALUES ('sk_test', 'age1test', 2, 2, 'x', ?)").run(new Date().toISOString());
    await page.reload();
    await expect.poll(() => page.getByTestId('setup-progress').textContent()).toBe('8 von 8 Schritten erledigt');
    await page.getByTestId('setup-hide').click();
    await expect.poll(() => page.getByTestId('setup-checklist').count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByTestId('kpi-served').isVisible()).toBe(true);
    expect(await page.getByTestId('setup-checklist').count()).toBe(0);
    expectCleanPage(watch);
  }, 60_000);
});
