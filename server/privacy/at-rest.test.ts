import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signInAs, type AdminClient } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { findPlainText } from '../test/find-plain-text';
import { createPortalUser, invitePortalUser, signInPortal } from '../test/portal-fixture';

// Values distinctive enough that any occurrence in a file is a leak.
const CUSTOMER = {
  name: 'Leakcheck Handels GmbH',
  email: 'kontakt.zx81@leakcheck.example',
  phone: '+49 30 99887766',
  address: 'Geheimweg 42, 10999 Berlin',
  contactPerson: 'Quirin Quellmalz',
  notes: 'prefers calls after 4 pm quxnote',
};
const RECTIFIED = { email: 'neu.zx82@leakcheck.example', phone: '+49 40 55443322' };
const REQUEST = { name: 'Xaver Yrjoe', email: 'xaver.yrjoe@privatmail.example', message: 'Bitte loeschen Sie meine Daten zx83 sofort.' };
const REPLY = 'Antwort an Xaver zx84';
// Staff e-mails: the signed-in admin's and one created through the API in mixed case.
const STAFF = { admin: 'staff.zx85@leakcheck.example', created: 'Neue.Kollegin.zx86@Leakcheck.Example' };
// Customer portal users' e-mails: one who accepted and signed in, one invitation still open.
const PORTAL = { user: 'portal.nutzer.zx87@leakcheck.example', invited: 'Offene.Einladung.zx88@Leakcheck.Example' };
const SECRETS = [
  ...Object.values(CUSTOMER).filter((v) => v !== CUSTOMER.name),
  ...Object.values(RECTIFIED),
  ...Object.values(REQUEST),
  REPLY,
  ...Object.values(STAFF),
  STAFF.created.toLowerCase(),
  ...Object.values(PORTAL),
  PORTAL.invited.toLowerCase(),
];

/** Every occurrence of a personal value in any file below `dir` (UTF-8 and UTF-16LE). */
const findLeaks = (dir: string) => findPlainText(dir, SECRETS);

let app: TestApp;
let admin: AdminClient;
let customerId: string;
let requestId: string;
const logLines: string[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-at-rest-'));

beforeAll(async () => {
  // Capture everything the server logs while it handles the personal data.
  const capture = (chunk: unknown) => void logLines.push(String(chunk));
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => (capture(c), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => (capture(c), true));
  app = await startTestApp({ dataDir, silent: false });
  admin = await signInAs(app, ['admin', 'dpo'], { email: STAFF.admin });
  expect((await admin.post('/api/users', { email: STAFF.created, name: 'Neue Kollegin', password: 'a long enough password', roles: ['manager'] })).status).toBe(201);
  const created = await admin.post('/api/customers', { ...CUSTOMER, kind: 'advertiser' });
  expect(created.status).toBe(201);
  customerId = created.body.id;
  expect((await admin.patch(`/api/customers/${customerId}`, RECTIFIED)).status).toBe(200);
  const res = await fetch(`${app.deliveryUrl}/v1/contact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...REQUEST, kind: 'erasure', customerId }) });
  requestId = ((await res.json()) as { id: string }).id;
  expect((await admin.patch(`/api/requests/${requestId}`, { reply: REPLY, status: 'answered' })).status).toBe(200);
  const portal = await createPortalUser(app, admin, customerId, PORTAL.user);
  await signInPortal(app, PORTAL.user.toUpperCase(), portal.password);
  await invitePortalUser(app, admin, customerId, PORTAL.invited);
  // Bad input that contains personal data must not end up in logs either.
  await fetch(`${app.deliveryUrl}/v1/contact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...REQUEST, email: 'broken' }) });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await app.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(`${dataDir}.data-key`, { force: true });
});

describe('personal data at rest', () => {
  it('reads back decrypted through the API', async () => {
    expect((await admin.get(`/api/customers/${customerId}`)).body).toMatchObject({ ...CUSTOMER, ...RECTIFIED });
    expect((await admin.get(`/api/requests/${requestId}`)).body).toMatchObject({ ...REQUEST, reply: REPLY });
    expect(app.ctx.audit.list({ limit: 50 }).some((e) => e.action === 'customer.update' && e.target === customerId)).toBe(true);
  });

  it('appears nowhere in the data directory in plain text: store, WAL, or any other file — before and after a checkpoint', () => {
    expect(fs.existsSync(path.join(dataDir, 'store.sqlite-wal'))).toBe(true);
    expect(findLeaks(dataDir)).toEqual([]);
    app.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(findLeaks(dataDir)).toEqual([]);
  });

  it('finds customers and requests by keyed hash of the e-mail, never by the address itself', async () => {
    const exp = await admin.get(`/api/requests/export?email=${encodeURIComponent(REQUEST.email.toUpperCase())}`);
    expect(exp.body.requests.map((r: { id: string }) => r.id)).toEqual([requestId]);
    const byCustomerMail = await admin.get(`/api/requests/export?email=${encodeURIComponent(RECTIFIED.email)}`);
    expect(byCustomerMail.body.customerIds).toEqual([customerId]);
    expect(app.ctx.db.prepare('SELECT email_hash FROM customers WHERE id = ?').pluck().get(customerId)).toMatch(/^[0-9a-f]{64}$/);
    const search = await admin.get(`/api/customers?q=${encodeURIComponent(RECTIFIED.email.toUpperCase())}`);
    expect(search.body.items.map((c: { id: string }) => c.id)).toEqual([customerId]);
  });

  it('is not written to the server log', () => {
    const log = logLines.join('');
    for (const secret of [...SECRETS, CUSTOMER.name]) expect(log).not.toContain(secret);
  });

  it('encrypts contact data left in plain text by an older version at the next start, and leaves no trace of it', async () => {
    await app.stop();
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(path.join(dataDir, 'store.sqlite'));
    raw.prepare("UPDATE customers SET email = ?, phone = ?, pii_version = 0, email_hash = NULL WHERE id = ?").run(RECTIFIED.email, RECTIFIED.phone, customerId);
    raw.close();
    app = await startTestApp({ dataDir });
    admin = await signInAs(app, 'admin');
    expect((await admin.get(`/api/customers/${customerId}`)).body).toMatchObject(RECTIFIED);
    expect(findLeaks(dataDir)).toEqual([]);
    expect(app.ctx.audit.list({ limit: 50 }).some((e) => e.action === 'privacy.encrypt-legacy')).toBe(true);
  });
});
