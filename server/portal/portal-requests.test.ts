import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../cli/main';
import { testClock } from '../delivery/test/seed';
import { requestDeadline } from '../requests/deadline';
import { signInAs, type AdminClient } from '../test/admin-client';
import { findPlainText } from '../test/find-plain-text';
import { createPortalUser, type PortalClient } from '../test/portal-fixture';
import { startTestApp, type TestApp } from '../test/test-app';

const clock = testClock('2026-05-04T08:00:00Z');
const SUBJECT = { name: 'Ottokar Zwiebelfisch', email: 'ottokar.z9@private.example', message: 'Bitte berichtigen Sie meine Anschrift zq9.' };
const REPLY = 'Wir haben die Anschrift von Ottokar korrigiert zq10.';

let app: TestApp;
let admin: AdminClient;
let customerId: string;
let portal: PortalClient;
let portalUserId: string;

/** Submits a contact request about the customer and forwards it there; returns its id. */
async function forwarded(kind: string, body = SUBJECT): Promise<string> {
  const res = await fetch(`${app.deliveryUrl}/v1/contact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, kind, customerId }) });
  const { id } = (await res.json()) as { id: string };
  expect((await admin.post(`/api/requests/${id}/forward`, { customerId })).status).toBe(200);
  return id;
}

const replyCount = (requestId: string) => app.ctx.db.prepare('SELECT COUNT(*) FROM request_replies WHERE request_id = ?').pluck().get(requestId) as number;

beforeAll(async () => {
  // Closed access requests are kept 30 days (restricted), contact requests not at all.
  app = await startTestApp({ privacy: { retention: { requestDays: { access: 30 } } } }, { now: clock.now });
  admin = await signInAs(app, ['admin', 'dpo']);
  customerId = (await admin.post('/api/customers', { name: 'Inbox GmbH', email: 'privacy@inbox.example', kind: 'advertiser' })).body.id;
  const user = await createPortalUser(app, admin, customerId, 'inbox.user@inbox.example');
  portal = user.client;
  portalUserId = user.userId;
});
afterAll(() => app.dispose());

describe('the requests inbox of the portal', () => {
  it('lists forwarded requests without personal data and shows one decrypted (audited)', async () => {
    const id = await forwarded('rectification');
    const list = await portal.get('/portal-api/requests');
    expect(list.status).toBe(200);
    const item = list.body.items.find((r: { id: string }) => r.id === id);
    expect(item).toEqual({
      id,
      kind: 'rectification',
      status: 'new',
      agencyStatus: 'forwarded',
      personalData: 'present',
      receivedAt: expect.any(String),
      dueAt: expect.any(String),
      forwardedAt: expect.any(String),
      replyCount: 0,
    });
    expect(JSON.stringify(list.body)).not.toContain(SUBJECT.email);
    expect(item.dueAt).toBe(requestDeadline(new Date(item.receivedAt)).toISOString());

    const one = await portal.get(`/portal-api/requests/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, ...SUBJECT });
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'request.view' })[0]).toMatchObject({ actor: `portal:${portalUserId}`, target: id });
  });

  it('takes answers and status changes, stores them encrypted and shows them to staff', async () => {
    const id = await forwarded('rectification');
    const created = await portal.post(`/portal-api/requests/${id}/replies`, { message: REPLY });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ requestId: id, authorKind: 'customer', authorId: portalUserId, message: REPLY });
    expect((await portal.post(`/portal-api/requests/${id}/replies`, { message: '  ' })).status).toBe(400);
    expect((await portal.post(`/portal-api/requests/${id}/replies`, { message: 'x', extra: 1 })).status).toBe(400);
    expect((await portal.get(`/portal-api/requests/${id}/replies`)).body.items.map((r: { message: string }) => r.message)).toEqual([REPLY]);
    const stored = app.ctx.db.prepare('SELECT message_enc FROM request_replies WHERE request_id = ?').pluck().get(id) as string;
    expect(stored).toMatch(/^ce1:/);

    const patched = await portal.patch(`/portal-api/requests/${id}`, { status: 'in_progress' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'in_progress', replyCount: 1 });
    expect((await portal.patch(`/portal-api/requests/${id}`, { status: 'closed' })).status).toBe(400);

    const staff = await admin.get(`/api/requests/${id}`);
    expect(staff.body).toMatchObject({ customerStatus: 'in_progress', status: 'forwarded' });
    expect(staff.body.customerReplies).toEqual([expect.objectContaining({ authorKind: 'customer', authorId: portalUserId, message: REPLY })]);
    const staffList = await admin.get('/api/requests?status=forwarded');
    expect(staffList.body.items.find((r: { id: string }) => r.id === id).customerStatus).toBe('in_progress');
    // The deadline is the request's own, untouched by forwarding and answering.
    expect(staff.body.dueAt).toBe(requestDeadline(new Date(staff.body.receivedAt)).toISOString());

    const audit = app.ctx.audit.list({ limit: 5, actionPrefix: 'request.' });
    expect(audit.find((e) => e.action === 'request.reply')).toMatchObject({ actor: `portal:${portalUserId}`, target: id });
    expect(audit.find((e) => e.action === 'request.customer-status')).toMatchObject({ actor: `portal:${portalUserId}`, details: { status: 'in_progress' } });
    expect(JSON.stringify(audit)).not.toContain('zq10');
  });

  it('erases the replies when a request is closed without a retention period', async () => {
    const id = await forwarded('contact');
    expect((await portal.post(`/portal-api/requests/${id}/replies`, { message: REPLY })).status).toBe(201);
    expect(replyCount(id)).toBe(1);
    expect((await admin.patch(`/api/requests/${id}`, { status: 'closed' })).body.personalData).toBe('erased');
    expect(replyCount(id)).toBe(0);
    const closed = await portal.get(`/portal-api/requests/${id}`);
    expect(closed.body).toMatchObject({ agencyStatus: 'closed', personalData: 'erased', name: null, email: null, message: null, replyCount: 0 });
    expect((await portal.post(`/portal-api/requests/${id}/replies`, { message: 'late' })).status).toBe(409);
    expect((await portal.patch(`/portal-api/requests/${id}`, { status: 'done' })).status).toBe(409);
  });

  it('keeps them restricted while a retention period runs and erases them with the request when it ends', async () => {
    const id = await forwarded('access');
    expect((await portal.post(`/portal-api/requests/${id}/replies`, { message: REPLY })).status).toBe(201);
    expect((await admin.patch(`/api/requests/${id}`, { status: 'closed' })).body.personalData).toBe('restricted');
    expect(replyCount(id)).toBe(1);
    // Restricted: neither the customer nor staff read them any more.
    expect((await portal.get(`/portal-api/requests/${id}/replies`)).body.items).toEqual([]);
    expect((await admin.get(`/api/requests/${id}`)).body.customerReplies).toEqual([]);

    const out: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['retention', 'run', '--data', app.dataDir, '--now', '2026-06-04T09:00:00Z'])).toBe(0);
    } finally {
      log.mockRestore();
      stdout.mockRestore();
    }
    expect(out.join('\n')).toContain(`erased the personal data of closed request ${id}`);
    expect(replyCount(id)).toBe(0);
    expect((await portal.get(`/portal-api/requests/${id}`)).body).toMatchObject({ personalData: 'erased', replyCount: 0 });
  });

  it('leaves none of the subject\'s values or the replies in plain text in the data directory', async () => {
    const secrets = [...Object.values(SUBJECT), REPLY];
    app.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(findPlainText(app.dataDir, secrets)).toEqual([]);
  });
});
