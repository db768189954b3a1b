/**
 * Invitation delivery and the portal's public origin: e-mailed through a real loopback SMTP server
 * (German and English, only the link and the customer's name), the link on --portal-public-url,
 * no invitations without a portal, and portal sessions' idle and absolute limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../auth/cookie-sessions';
import { signInAs, TEST_PASSWORD, type AdminClient } from '../test/admin-client';
import { acceptInvitation, createPortalUser, invitePortalUser, portalRequest, signInPortal } from '../test/portal-fixture';
import { SmtpSink } from '../test/smtp-sink';
import { startTestApp, type TestApp } from '../test/test-app';

let sink: SmtpSink;
let app: TestApp;
let manager: AdminClient;
let clock = Date.now();
const now = () => new Date(clock);
const PUBLIC = 'https://kunden.agency.example';

beforeAll(async () => {
  sink = await SmtpSink.start();
  app = await startTestApp({ mail: sink.settings, portalPublicUrl: PUBLIC }, { now });
  manager = await signInAs(app, 'manager');
});
afterAll(async () => {
  await app?.dispose();
  await sink?.stop();
});

describe('invitation e-mail', () => {
  it('mails the one-time link, in German and English, with nothing personal but the customer name', async () => {
    const customer = (await manager.post('/api/customers', { name: 'Gärtnerei Grün', email: 'kontakt@gaertnerei.example', phone: '+49 30 1234567' })).body;
    const res = await manager.post(`/api/customers/${customer.id}/portal-invitations`, { email: 'Hanna.Gruen@Gaertnerei.example' });
    expect(res.status).toBe(201);
    expect(res.body.emailed).toBe(true);
    expect(res.body.invitationUrl).toMatch(new RegExp(`^${PUBLIC.replace(/\./g, '\\.')}/#/invite/[A-Za-z0-9_-]{43}$`));
    expect(Date.parse(res.body.expiresAt) - clock).toBe(7 * 24 * 60 * 60 * 1000);

    const [mail] = await sink.waitFor(1);
    expect(mail!.to).toEqual(['hanna.gruen@gaertnerei.example']);
    expect(mail!.from).toBe('privacy@agency.example');
    const text = mail!.data.replace(/=\r?\n/g, '');
    expect(text).toContain(res.body.invitationUrl);
    expect(text).toContain('Sie wurden eingeladen');
    expect(text).toContain('you have been invited');
    for (const leak of ['kontakt@gaertnerei.example', '1234567', manager.user!.email]) expect(text).not.toContain(leak);

    // The link in the mail works once.
    const token = /#\/invite\/([A-Za-z0-9_-]{43})/.exec(text)![1]!;
    const client = await acceptInvitation(app, token, TEST_PASSWORD);
    expect((await client.get('/portal-api/me')).body).toMatchObject({ customerId: customer.id, customerName: 'Gärtnerei Grün' });
    expect((await portalRequest(app, 'POST', '/portal-api/invitations/accept', { token, password: TEST_PASSWORD })).body.error.code).toBe('invitation_invalid');
  });

  it('tells a person whose customer asked for deletion before they set a password', async () => {
    const customer = (await manager.post('/api/customers', { name: 'Später gelöscht', email: 'info@geloescht.example' })).body;
    const res = await manager.post(`/api/customers/${customer.id}/portal-invitations`, { email: 'late@geloescht.example' });
    const token = /#\/invite\/(.+)$/.exec(res.body.invitationUrl as string)![1]!;
    expect((await manager.post(`/api/customers/${customer.id}/deletion`)).status).toBe(200);
    for (const [path, body] of [['/portal-api/invitations/check', { token }], ['/portal-api/invitations/accept', { token, password: TEST_PASSWORD }]] as const) {
      const answer = await portalRequest(app, 'POST', path, body);
      expect(answer.status).toBe(403);
      expect(answer.body.error.code).toBe('portal_account_restricted');
    }
  });
});

describe('portal session limits', () => {
  it('ends a session after 2 h idle and 12 h after sign-in', async () => {
    const customer = (await manager.post('/api/customers', { name: 'Sitzung AG', email: 'info@sitzung.example' })).body;
    const { client, email, password } = await createPortalUser(app, manager, customer.id);
    clock += SESSION_IDLE_MS - 60_000;
    expect((await client.get('/portal-api/me')).status).toBe(200);
    clock += SESSION_IDLE_MS;
    expect((await client.get('/portal-api/me')).status).toBe(401);

    const busy = await signInPortal(app, email, password);
    const until = clock + SESSION_ABSOLUTE_MS;
    while (clock + SESSION_IDLE_MS / 2 < until) {
      clock += SESSION_IDLE_MS / 2;
      expect((await busy.get('/portal-api/me')).status).toBe(200);
    }
    clock = until;
    expect((await busy.get('/portal-api/me')).status).toBe(401);
    manager = await signInAs(app, 'manager');
  });
});

describe('without a portal', () => {
  it('refuses invitations (there is no link to give) and serves no portal API', async () => {
    const bare = await startTestApp({ portal: null });
    try {
      const staff = await signInAs(bare, 'admin');
      const customer = (await staff.post('/api/customers', { name: 'Ohne Portal', email: 'info@ohne-portal.example' })).body;
      const res = await staff.post(`/api/customers/${customer.id}/portal-invitations`, { email: 'a@ohne.example' });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('--no-portal');
      expect(bare.portalUrl).toBeUndefined();
    } finally {
      await bare.dispose();
    }
  });

  it('shows the link instead of mailing it when no SMTP server is set', async () => {
    const bare = await startTestApp();
    try {
      const staff = await signInAs(bare, 'admin');
      const customer = (await staff.post('/api/customers', { name: 'Ohne Mail', email: 'info@ohne-mail.example' })).body;
      const res = await staff.post(`/api/customers/${customer.id}/portal-invitations`, { email: 'b@ohne.example' });
      expect(res.status).toBe(201);
      expect(res.body.emailed).toBe(false);
      expect(res.body.invitationUrl.startsWith(`${bare.portalUrl}/#/invite/`)).toBe(true);
    } finally {
      await bare.dispose();
    }
  });

  it('marks the portal cookie Secure when clients use HTTPS (behind a TLS proxy)', async () => {
    const proxied = await startTestApp({ tls: true });
    try {
      const staff = await signInAs(proxied, 'admin');
      const customer = (await staff.post('/api/customers', { name: 'Hinter Proxy', email: 'info@proxy.example' })).body;
      const { token } = await invitePortalUser(proxied, staff, customer.id, 'c@proxy.example');
      const res = await portalRequest(proxied, 'POST', '/portal-api/invitations/accept', { token, password: TEST_PASSWORD });
      expect(res.status).toBe(201);
      expect(res.headers.get('set-cookie')).toMatch(/^psid=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Secure$/);
      const out = await portalRequest(proxied, 'DELETE', '/portal-api/session', undefined, res.headers.get('set-cookie')!.split(';')[0]);
      expect(out.headers.get('set-cookie')).toBe('psid=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure');
    } finally {
      await proxied.dispose();
    }
  });
});
