import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessRecordsSealed, recordsHandedTo } from '../../server/sealing/test/unseal-for-tests';
import { screenshot } from './harness/browser';
import { expectCleanPage, startConsoleHarness, type ConsoleHarness } from './harness/console-app';
import { createEngineBridge, type EngineBridge } from './harness/engine-bridge';
import { createFirstAdmin, createStaff, expectHeading, signIn } from './harness/staff';
import { KEYRING, missing } from '../../node/test/requirements';

// The approvers' identities live in the real OS keychain: only inside scripts/test.sh's D-Bus session.
const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;
let offset = 0; // the server's clock runs `offset` ms ahead of real time
let h: ConsoleHarness;
let bridge: EngineBridge;

/** A datetime-local value in the browser's time zone (the harness uses Europe/Berlin). */
const berlin = (ms: number) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(ms)
    .replace(' ', 'T');

async function traffic(ip: string, path: string, times: number): Promise<void> {
  const { sealer } = h.app.services.sealing;
  const before = recordsHandedTo(sealer);
  for (let i = 0; i < times; i++) {
    const res = await fetch(h.app.deliveryUrl + path, { headers: { 'x-forwarded-for': ip, 'user-agent': 'CaseJourney/1.0' } });
    await res.arrayBuffer();
  }
  await accessRecordsSealed(sealer, before, times);
}

describe.skipIf(missing(KEYRING))('abuse case with the desktop keychain (needs scripts/test.sh: D-Bus keyring)', () => {
  beforeAll(async () => {
    h = await startConsoleHarness({ now: () => new Date(Date.now() + offset), overrides: { trustProxy: ['127.0.0.1'] } });
    const admin = await createFirstAdmin(h.app.adminUrl, 'ada@example.test', PASSWORD);
    // Management and DPO must sign in with two factors: the harness sets up TOTP on the server's clock.
    const serverClock = () => new Date(Date.now() + offset);
    await createStaff(h.app.adminUrl, admin, { email: 'mia@example.test', name: 'Mia Management', password: PASSWORD, roles: ['management'] }, serverClock);
    await createStaff(h.app.adminUrl, admin, { email: 'dora@example.test', name: 'Dora DPO', password: PASSWORD, roles: ['dpo'] }, serverClock);
    await createStaff(h.app.adminUrl, admin, { email: 'rolf@example.test', name: 'Rolf Reviewer', password: PASSWORD, roles: ['reviewer'] });
    bridge = createEngineBridge(h.app.adminUrl);
  }, 120_000);
  afterAll(async () => {
    await bridge?.dispose(['mia@example.test', 'dora@example.test']);
    await h?.close();
  });

  it('enrols, runs the ceremony, opens a case, approves as management and DPO, and shows only the in-scope records', async () => {
    // Both approvers enrol from the desktop app: the identity is created in the keychain.
    const approvers = [];
    for (const [email, name] of [['mia@example.test', 'mia'], ['dora@example.test', 'dora']] as const) {
      const s = await h.newPage();
      await bridge.attach(s.page);
      await signIn(s.page, s.watch, h.app.adminUrl, email, PASSWORD);
      await s.page.getByTestId('nav-keys').click();
      await expectHeading(s.page, 'Schlüssel');
      await s.page.getByRole('button', { name: 'Meinen Schlüssel im Schlüsselbund erzeugen und registrieren' }).click();
      await expect.poll(() => s.page.getByTestId('my-enrolment').textContent()).toContain('Ihr Schlüssel ist registriert.');
      expect(await bridge.keychain.publicKey({ installationId: await bridge.installationId(), email })).toMatch(/^age1/);
      if (name === 'dora') await screenshot(s.page, '20-keys-approver');
      approvers.push(s);
    }
    const [mia, dora] = approvers as [(typeof approvers)[0], (typeof approvers)[0]];

    // The admin sees the throwaway-key warning, then runs the ceremony wizard.
    const admin = await h.newPage();
    await signIn(admin.page, admin.watch, h.app.adminUrl, 'ada@example.test', PASSWORD);
    await expect.poll(() => admin.page.getByTestId('dashboard-warnings').textContent()).toContain('Noch kein Versiegelungsschlüssel');
    await admin.page.getByTestId('nav-keys').click();
    await expect.poll(() => admin.page.getByTestId('throwaway-warning').count()).toBe(1);
    const wizard = admin.page.getByTestId('ceremony');
    await wizard.getByLabel('Mia Management (Geschäftsleitung)').check();
    await wizard.getByLabel('Dora DPO (Datenschutz)').check();
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    await wizard.getByLabel('Nötige Freigaben (k)').selectOption('2');
    await wizard.getByRole('button', { name: 'Weiter' }).click();
    expect(await wizard.textContent()).toContain('2 von 2 Personen müssen jedes Entsiegeln freigeben.');
    await wizard.getByRole('button', { name: 'Zeremonie durchführen' }).click();
    await expect.poll(() => admin.page.getByTestId('key-quorum').textContent()).toBe('2 von 2 Freigaben nötig');
    expect(await admin.page.getByTestId('throwaway-warning').count()).toBe(0);
    await screenshot(admin.page, '21-keys-after-ceremony');

    // Delivery traffic: two addresses in the window, one before it.
    offset = -2 * 60 * MINUTE;
    await traffic('203.0.113.99', '/healthz', 1);
    offset = 0;
    const trafficAt = Date.now();
    await traffic('203.0.113.7', '/healthz', 3);
    await traffic('198.51.100.9', '/healthz', 2);
    offset = 3 * MINUTE;

    // A reviewer opens the case for 203.0.113.0/24 around the traffic.
    const rolf = await h.newPage();
    await signIn(rolf.page, rolf.watch, h.app.adminUrl, 'rolf@example.test', PASSWORD);
    await rolf.page.getByTestId('nav-cases').click();
    await rolf.page.getByRole('button', { name: 'Fall eröffnen' }).click();
    const form = rolf.page.getByTestId('case-form');
    await form.getByLabel('Begründung').fill('Zu kurz');
    const start = Math.floor(trafficAt / MINUTE) * MINUTE;
    await form.getByLabel('Von').fill(berlin(start - 5 * MINUTE));
    await form.getByLabel('Bis').fill(berlin(start + 2 * MINUTE));
    await form.getByLabel('IP oder Präfix').fill('203.0.113.0/24');
    await form.getByRole('button', { name: 'Fall eröffnen' }).click();
    await expect.poll(() => form.getByText('Mindestens 20 Zeichen.', { exact: true }).count()).toBe(1);
    await form.getByLabel('Begründung').fill('Auffällig viele Abrufe aus 203.0.113.0/24 – Verdacht auf Klickbetrug.');
    await form.getByRole('button', { name: 'Fall eröffnen' }).click();
    await expect.poll(() => rolf.page.getByTestId('case-status').textContent()).toBe('wartet auf Freigabe');
    const caseUrl = rolf.page.url();
    await screenshot(rolf.page, '22-case-opened');
    await rolf.page.getByTestId('nav-cases').click();
    await expect.poll(() => rolf.page.getByRole('row', { name: /Klickbetrug/ }).textContent()).toContain('wartet auf Freigabe');
    await screenshot(rolf.page, '22a-cases');

    // Management: the dashboard says an approval waits; approve with the keychain.
    await mia.page.getByTestId('nav-dashboard').click();
    await expect.poll(() => mia.page.getByTestId('dashboard-warnings').textContent()).toContain('Freigaben warten auf Sie: 1');
    await mia.page.goto(caseUrl);
    await mia.page.getByRole('button', { name: 'Mit Schlüsselbund freigeben' }).click();
    await expect.poll(() => mia.page.getByTestId('case-approval').textContent()).toContain('Ihre Freigabe wurde übermittelt.');
    // The native confirmation showed what the main process fetched itself: reason, who opened it, filters, the case key.
    expect(bridge.summaries).toHaveLength(1);
    expect(bridge.summaries[0]).toContain('Reason: Auffällig viele Abrufe aus 203.0.113.0/24');
    expect(bridge.summaries[0]).toContain('Opened by: Rolf Reviewer <rolf@example.test>');
    expect(bridge.summaries[0]).toContain('ipPrefix=203.0.113.0/24');
    expect(bridge.summaries[0]).toMatch(/Case key fingerprint: [0-9a-f]{4}( [0-9a-f]{4}){7}/);
    await screenshot(mia.page, '23-case-approved-once');
    // Management moves on: a case page left open follows the case and would load its records the
    // moment it is ready, racing the reviewer's close below (a 409 the browser logs).
    await mia.page.getByTestId('nav-cases').click();

    // DPO approves: the quorum is reached, the logs are unsealed, the DPO reads the in-scope records.
    await dora.page.goto(caseUrl);
    await dora.page.getByRole('button', { name: 'Mit Schlüsselbund freigeben' }).click();
    await expect.poll(() => dora.page.getByTestId('case-status').textContent(), { timeout: 20_000 }).toBe('bereit');
    const records = dora.page.getByTestId('case-records');
    await expect.poll(() => records.locator('tbody tr').count()).toBe(3);
    const text = await records.textContent();
    expect(text).toContain('203.0.113.7');
    expect(text).toContain('/healthz');
    expect(text).not.toContain('198.51.100.9');
    expect(text).not.toContain('203.0.113.99');
    await screenshot(dora.page, '24-case-records');

    // The reviewer exports (audited) and closes the case.
    await rolf.page.goto(caseUrl);
    await expect.poll(() => rolf.page.getByTestId('case-status').textContent()).toBe('bereit');
    const download = rolf.page.waitForEvent('download');
    await rolf.page.getByRole('button', { name: 'Exportieren (CSV)' }).click();
    const csv = fs.readFileSync((await (await download).path())!, 'utf8').trim().split('\r\n');
    expect(csv).toHaveLength(4);
    expect(csv.slice(1).every((line) => line.includes('203.0.113.7'))).toBe(true);
    rolf.page.once('dialog', (d) => void d.accept());
    await rolf.page.getByRole('button', { name: 'Fall schließen' }).click();
    await expect.poll(() => rolf.page.getByTestId('case-status').textContent()).toBe('geschlossen');

    // Every step is in the audit log, whose chain is intact.
    await admin.page.getByTestId('nav-audit').click();
    await expect.poll(() => admin.page.getByTestId('audit-verification').textContent()).toMatch(/Die Prüfkette ist intakt/);
    const audit = await admin.page.getByTestId('audit-table').textContent();
    for (const action of ['Schlüsselzeremonie durchgeführt', 'Missbrauchsfall eröffnet', 'Fall freigegeben', 'Entsiegelte Einträge exportiert', 'Fall geschlossen']) expect(audit).toContain(action);
    await screenshot(admin.page, '25-audit');

    for (const s of [mia, dora, admin, rolf]) expectCleanPage(s.watch);
  }, 180_000);
});
