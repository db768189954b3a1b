import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAs, type AdminClient } from '../test/admin-client';
import { SmtpSink } from '../test/smtp-sink';
import { startTestApp, type TestApp } from '../test/test-app';

let sink: SmtpSink;
let app: TestApp;
let admin: AdminClient;
let dpo: AdminClient;

beforeAll(async () => {
  sink = await SmtpSink.start();
  app = await startTestApp({ mail: { url: `smtp://127.0.0.1:${sink.port}`, from: 'privacy@agency.example' } });
  admin = await signInAs(app, 'admin');
  dpo = await signInAs(app, 'dpo');
});
afterAll(async () => {
  await app.dispose();
  await sink.stop();
});

const contact = async (body: Record<string, unknown>) => {
  const res = await fetch(`${app.deliveryUrl}/v1/contact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
};

describe('forwarding a request to the responsible customer', () => {
  it('sends the request by e-mail through the configured SMTP server to the customer\'s contact address', async () => {
    const customer = (await admin.post('/api/customers', { name: 'Shop GmbH', email: 'datenschutz@shop.example', kind: 'advertiser' })).body;
    const id = await contact({ name: 'Max Muster', email: 'max@example.net', message: 'Which ads did you show me on shop.example?', kind: 'access', customerId: customer.id });
    expect((await dpo.get(`/api/requests/${id}`)).body.customerId).toBe(customer.id);

    const res = await dpo.post(`/api/requests/${id}/forward`, { customerId: customer.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'forwarded', forwardedTo: customer.id });
    expect(res.body.forwardedAt).toEqual(expect.any(String));

    const [mail] = await sink.waitFor(1);
    expect(mail!.to).toEqual(['datenschutz@shop.example']);
    expect(mail!.from).toBe('privacy@agency.example');
    const text = mail!.data.replace(/=\r?\n/g, '');
    expect(text).toContain(id);
    expect(text).toContain('Max Muster');
    expect(text).toContain('max@example.net');
    expect(text).toContain('Which ads did you show me on shop.example?');
    expect(text).toMatch(/Subject: .*access/);

    const entry = app.ctx.audit.list({ limit: 1, actionPrefix: 'request.forward' })[0]!;
    expect(entry).toMatchObject({ target: id, details: { customerId: customer.id } });
    expect(JSON.stringify(entry.details)).not.toContain('example');
  });

  it('refuses unknown customers and closed requests, and does not send anything then', async () => {
    const id = await contact({ name: 'Eva', email: 'eva@example.net', message: 'Hello' });
    const sent = sink.messages.length;
    expect((await dpo.post(`/api/requests/${id}/forward`, { customerId: 'cus_aaaaaaaaaaaaaaaa' })).status).toBe(404);
    expect((await dpo.post(`/api/requests/${id}/forward`, { customerId: 'nope' })).status).toBe(400);
    expect((await dpo.post(`/api/requests/${id}/forward`, {}, { omitCsrfHeader: true })).status).toBe(403);
    await dpo.patch(`/api/requests/${id}`, { status: 'closed' });
    const customer = (await admin.post('/api/customers', { name: 'Other AG', email: 'privacy@other.example' })).body;
    expect((await dpo.post(`/api/requests/${id}/forward`, { customerId: customer.id })).status).toBe(409);
    expect(sink.messages.length).toBe(sent);
  });
});

describe('forwarding without a mail server', () => {
  it('answers 503 with what to configure', async () => {
    const bare = await startTestApp();
    try {
      const a = await signInAs(bare, 'admin');
      const customer = (await a.post('/api/customers', { name: 'Shop', email: 'x@shop.example' })).body;
      const res = await fetch(`${bare.deliveryUrl}/v1/contact`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'A', email: 'a@b.example', message: 'm' }) });
      const { id } = (await res.json()) as { id: string };
      const fwd = await a.post(`/api/requests/${id}/forward`, { customerId: customer.id });
      expect(fwd.status).toBe(503);
      expect(fwd.body.error.message).toContain('--smtp-url');
    } finally {
      await bare.dispose();
    }
  });
});
