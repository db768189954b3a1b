import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { createFirstAdmin, expectHeading, signIn, staffApi } from './harness/staff';

// The console edits a campaign's goal, pacing and price (a dated change), and shows the price
// history, the goal and revenue in the statistics table.
const PASSWORD = 'correct horse battery';
let h: ConsoleHarness;
let cookie: string;

const api = staffApi(() => h.app.adminUrl, () => cookie);

beforeAll(async () => {
  h = await startConsoleHarness();
  cookie = await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
}, 120_000);
afterAll(async () => h?.close());

describe('campaign goals and prices in the console', () => {
  it('changes goal kind, pacing and price from a given time; the campaign page shows them and the price history', async () => {
    const customer = await api<{ id: string }>('POST', '/api/customers', { name: 'Polarlicht AG', email: 'p@polarlicht.example', kind: 'both' });
    const campaign = await api<{ id: string }>('POST', '/api/campaigns', {
      customerId: customer.id, name: 'Winteraktion', startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-01-01T00:00:00Z',
      impressionGoal: 5000, price: { model: 'cpm', amount: 2.5 },
    });
    const { page, watch } = await h.newPage();
    await signIn(page, watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await page.goto(`${h.app.adminUrl}/campaigns/${campaign.id}/edit`);
    await expectHeading(page, 'Kampagne bearbeiten');
    const form = page.getByTestId('campaign-form');
    expect(await form.getByTestId('goal-count').inputValue()).toBe('5000');
    expect(await form.getByTestId('price-model').inputValue()).toBe('cpm');
    await form.getByTestId('goal-count').fill('40');
    await form.getByTestId('goal-kind').selectOption('clicks');
    await form.getByTestId('pacing').selectOption('asap');
    await form.getByTestId('price-model').selectOption('cpc');
    await form.getByTestId('price-amount').fill('0.4');
    await form.getByTestId('price-from').fill('2026-03-01T12:00');
    await form.getByRole('button', { name: 'Speichern' }).click();
    await expectHeading(page, 'Winteraktion');

    const saved = await api<{ goal: unknown; pacing: string }>('GET', `/api/campaigns/${campaign.id}`);
    expect(saved).toMatchObject({ goal: { kind: 'clicks', count: 40 }, pacing: 'asap' });
    const history = await api<{ items: Array<{ model: string; amount: number; effectiveFrom: string }> }>('GET', `/api/campaigns/${campaign.id}/prices`);
    // 12:00 in Europe/Berlin (the page's time zone) is 11:00 UTC.
    expect(history.items.map((p) => [p.model, p.amount, p.effectiveFrom])).toEqual([
      ['cpm', 2.5, '2026-01-01T00:00:00.000Z'],
      ['cpc', 0.4, '2026-03-01T11:00:00.000Z'],
    ]);
    await expect.poll(() => page.getByTestId('campaign-goal').textContent()).toMatch(/Klicks.*so schnell wie möglich/);
    await expect.poll(() => page.getByTestId('price-history').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('price-history').textContent()).toMatch(/2,50\s€.*0,40\s€/);

    await page.getByRole('link', { name: 'Statistik ansehen' }).click();
    await expectHeading(page, 'Statistik');
    await page.getByRole('button', { name: 'Anzeigen' }).click();
    await expect.poll(() => page.getByTestId('total-revenue').first().textContent()).toMatch(/^0,00\s€$/);
    expectCleanPage(watch);
  });
});
