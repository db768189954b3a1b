import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type AdminClient } from '../test/admin-client';
import { createPortalUser } from '../test/portal-fixture';
import { startTestApp, type TestApp } from '../test/test-app';
import { SmtpSink, type ReceivedMail } from '../test/smtp-sink';

// The data subject's values: none of them may leave the server by e-mail.
const SUBJECT = { name: 'Mirella Quaestor', email: 'mirella.q7@private.example', message: 'Welche Anzeigen zeigten Sie mir auf shop.example? qx7' };

/** A message's text with quoted-printable soft line breaks joined (what a reader sees). */
const mailText = (m: ReceivedMail) => m.data.replace(/=\r?\n/g, '');

let sink: SmtpSink;
let app: TestApp;
let admin: AdminClient;
let dpo: AdminClient;

beforeAll(async () => {
  sink = await SmtpSink.start();
  app = await startTestApp({ mail: sink.settings });
  admin = await signInAs(app, 'admin');
  dpo = await signInAs(app, 'dpo');
});
afterAll(async () => {
  await app.dispose();
  await sink.stop();
});

const contact = async (deliveryUrl: string, body: Record<string, unknown>) => {
  const res = await fetch(`${deliveryUrl}/v1/contact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
};

describe('forwarding a request to the responsible customer', () => {
  it("puts it into the customer's portal and e-mails each active portal user a notice without any personal data", async () => {
    const customer = (await admin.post('/api/customers', { name: 'Shop GmbH', email: 'datenschutz@shop.example', kind: 'advertiser' })).body;
    const first = await createPortalUser(app, admin, customer.id, 'anna.portal@shop.example');
    const second = await createPortalUser(app, admin, customer.id, 'ben.portal@shop.example');
    const disabled = await createPortalUser(app, admin, customer.id, 'carl.portal@shop.example');
    expect((await admin.patch(`/api/portal-users/${disabled.userId}`, { disabled: true })).status).toBe(200);
    const id = await contact(app.deliveryUrl, { ...SUBJECT, kind: 'access', customerId: customer.id });

    const res = await dpo.post(`/api/requests/${id}/forward`, { customerId: customer.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'forwarded', forwardedTo: customer.id, customerStatus: 'new', notices: { sent: 2, failed: 0 } });
    expect(res.body.forwardedAt).toEqual(expect.any(String));

    // Invitation mails of the three users may still be arriving: pick the notices by their link.
    const link = `${app.portalUrl}/#/requests`;
    const notices = () => sink.messages.filter((m) => mailText(m).includes(link));
    for (let n = sink.messages.length + 1; notices().length < 2; n++) await sink.waitFor(n);
    const mails = notices();
    expect(mails).toHaveLength(2);
    expect(mails.map((m) => m.to[0]).sort()).toEqual([first.email, second.email].sort());
    for (const mail of mails) {
      expect(mail.from).toBe('privacy@agency.example');
      const text = mailText(mail);
      // Nothing about the data subject or the request: no name, address, message, kind, id, or the customer's contact address.
      for (const value of [...Object.values(SUBJECT), 'access', 'Auskunft', id, 'datenschutz@shop.example']) expect(text).not.toContain(value);
    }
    // The content is in the portal instead, for the customer's users only.
    const inbox = await first.client.get(`/portal-api/requests/${id}`);
    expect(inbox.status).toBe(200);
    expect(inbox.body).toMatchObject({ id, kind: 'access', ...SUBJECT });

    const entries = app.ctx.audit.list({ limit: 5, actionPrefix: 'request.' });
    expect(entries.find((e) => e.action === 'request.forward')).toMatchObject({ target: id, details: { customerId: customer.id } });
    expect(entries.find((e) => e.action === 'request.notify')).toMatchObject({ target: id, details: { customerId: customer.id, sent: 2, failed: 0 } });
    expect(JSON.stringify(entries.map((e) => e.details))).not.toContain('example');
  });

  it('refuses unknown and restricted customers and closed requests, and sends nothing then', async () => {
    const locked = (await admin.post('/api/customers', { name: 'Locked AG', email: 'privacy@locked.example' })).body;
    await createPortalUser(app, admin, locked.id, 'user@locked.example');
    expect((await admin.post(`/api/customers/${locked.id}/deletion`)).status).toBe(200);
    // The invitation went out by mail; from here on nothing may be sent.
    await sink.waitFor(sink.messages.length);
    await new Promise((r) => setTimeout(r, 300));
    const id = await contact(app.deliveryUrl, { name: 'Eva', email: 'eva@example.net', message: 'Hello' });
    const sent = sink.messages.length;
    expect((await dpo.post(`/api/requests/${id}/forward`, { customerId: 'cus_aaaaaaaaaaaaaaaa' })).status).toBe(404);
    expect((await dpo.post(`/api/requests/${id}/forward`, { customerId: 'nope' })).status).toBe(400);
    expect((await dpo.post(`/api/requests/${id}/forward`, {}, { omitCsrfHeader: true })).status).toBe(403);
    expect((await dpo.post(`/api/requests/${id}/forward`, { customerId: locked.id })).status).toBe(423);
    await dpo.patch(`/api/requests/${id}`, { status: 'closed' });
    const customer = (await admin.post('/api/customers', { name: 'Other AG', email: 'privacy@other.example' })).body;
    expect((await dpo.post(`/api/requests/${id}/forward`, { customerId: customer.id })).status).toBe(409);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.messages.length).toBe(sent);
  });
});

describe('forwarding without a mail server', () => {
  it('works: the portal is the channel, nobody is e-mailed', async () => {
    const bare = await startTestApp();
    try {
      const a = await signInAs(bare, 'admin');
      const customer = (await a.post('/api/customers', { name: 'Shop', email: 'x@shop.example' })).body;
      const user = await createPortalUser(bare, a, customer.id, 'portal@shop.example');
      const id = await contact(bare.deliveryUrl, { name: 'A', email: 'a@b.example', message: 'm' });
      const fwd = await a.post(`/api/requests/${id}/forward`, { customerId: customer.id });
      expect(fwd.status).toBe(200);
      expect(fwd.body).toMatchObject({ status: 'forwarded', forwardedTo: customer.id, notices: { sent: 0, failed: 0 } });
      expect((await user.client.get('/portal-api/requests')).body.items.map((r: { id: string }) => r.id)).toEqual([id]);
      expect(bare.ctx.audit.list({ limit: 5, actionPrefix: 'request.notify' })).toEqual([]);
    } finally {
      await bare.dispose();
    }
  });

  it('is refused while the portal is off: there would be no channel to the customer', async () => {
    const off = await startTestApp({ portal: null });
    try {
      const a = await signInAs(off, 'admin');
      const customer = (await a.post('/api/customers', { name: 'Shop', email: 'x@shop.example' })).body;
      const id = await contact(off.deliveryUrl, { name: 'A', email: 'a@b.example', message: 'm' });
      const fwd = await a.post(`/api/requests/${id}/forward`, { customerId: customer.id });
      expect(fwd.status).toBe(503);
      expect(fwd.body.error.message).toContain('--no-portal');
      expect((await a.get(`/api/requests/${id}`)).body.status).toBe('open');
    } finally {
      await off.dispose();
    }
  });
});
