import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_PAGES_CSP } from '../../common/csp';
import type { Logger } from '../log/logger';
import { signInAs, type AdminClient } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { FORM_TOKEN_TTL_MS } from './form-token';
import { PAGE_FILE_LIMIT, PageFiles } from './page-files';

let app: TestApp;
let admin: AdminClient;
let clock = new Date('2026-03-02T09:00:00Z');
let net = 0;
/** Each post comes from its own /24 (through the trusted loopback proxy), so the shared rate limit only bites where a test wants it. */
const freshAddress = () => `198.51.${++net}.7`;
let pagesDir: string;

beforeAll(async () => {
  app = await startTestApp({ trustProxy: ['127.0.0.1'] }, { now: () => clock });
  admin = await signInAs(app, 'admin');
  pagesDir = path.join(app.dataDir, 'pages');
});
afterAll(() => app.dispose());

const get = async (p: string, init: RequestInit = {}) => {
  const res = await fetch(`${app.portalUrl}${p}`, { redirect: 'manual', ...init });
  return { status: res.status, headers: res.headers, text: await res.text() };
};
const tokenOf = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
const freshToken = async (p = '/kontakt') => tokenOf((await get(p)).text);
const post = (p: string, fields: Record<string, string>, options: { ip?: string; headers?: Record<string, string>; body?: string } = {}) =>
  get(p, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': options.ip ?? freshAddress(), ...options.headers },
    body: options.body ?? new URLSearchParams(fields).toString(),
  });
const count = () => app.ctx.db.prepare('SELECT COUNT(*) FROM requests').pluck().get() as number;
const VALID = { kind: 'access', name: 'Erika Mustermann', email: 'erika@example.org', message: 'Welche Daten speichern Sie über mich?' };

const PAGES = [
  ['/datenschutz', 'de', '/privacy'],
  ['/privacy', 'en', '/datenschutz'],
  ['/impressum', 'de', '/imprint'],
  ['/imprint', 'en', '/impressum'],
  ['/kontakt', 'de', '/contact'],
  ['/contact', 'en', '/kontakt'],
] as const;

describe('public pages', () => {
  it.each(PAGES)('%s is a full HTML page in its language, linking the other one, under the strict CSP', async (p, lang, other) => {
    const res = await get(p);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(PUBLIC_PAGES_CSP);
    expect(res.headers.get('content-language')).toBe(lang);
    expect(res.text).toMatch(new RegExp(`^<!doctype html>\\n<html lang="${lang}">`));
    expect(res.text).toContain(`<a href="${other}" hreflang="${lang === 'de' ? 'en' : 'de'}"`);
    expect(res.text).toContain('<link rel="stylesheet" href="/pages.css">');
    expect(res.text).not.toMatch(/<script|\sstyle=|<style|https?:\/\//i);
    const head = await fetch(`${app.portalUrl}${p}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('serves its stylesheet and keeps the CSP free of scripts and third parties', async () => {
    const css = await get('/pages.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.text).toContain('font:');
    expect(css.text).not.toMatch(/url\(|@import/);
    const directives = PUBLIC_PAGES_CSP.split('; ');
    expect(directives).toEqual(["default-src 'none'", "style-src 'self'", "img-src 'self'", "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'"]);
  });

  it('shows default templates, headlined as such, naming what the server processes', async () => {
    const de = (await get('/datenschutz')).text;
    expect(de).toContain('<h1>Datenschutzerklärung (Vorlage)</h1>');
    expect(de).toContain('class="template-notice"');
    for (const fact of ['IP-Adresse, Zeitpunkt, aufgerufene URL, HTTP-Status, übertragene Datenmenge', 'versiegelt', 'drei Monate nach Ende des Kalendermonats', '/24', 'keine Cookies', 'SameSite=Strict', 'verschlüsselt in seinem Kundenkonto', 'Sicherungskopien', 'TOTP', 'Art. 15 DSGVO', 'Art. 21', 'Art. 77 DSGVO', '[[Betreiber: Name bzw. Firma']) {
      expect(de).toContain(fact);
    }
    const en = (await get('/privacy')).text;
    expect(en).toContain('<h1>Privacy statement (template)</h1>');
    for (const fact of ['IP address, time, requested URL, HTTP status, bytes sent', 'three months after the end of the calendar month', '/24', 'no cookies', 'Art. 77 GDPR', '[[Operator: name or company']) expect(en).toContain(fact);
    expect((await get('/impressum')).text).toContain('§ 5 DDG');
    expect((await get('/imprint')).text).toContain('<h1>Imprint (template)</h1>');
    // The contact page is no template: no notice there.
    expect((await get('/kontakt')).text).not.toContain('template-notice');
  });

  it("picks up the operator's Markdown and HTML files without a restart, HTML first", async () => {
    fs.mkdirSync(pagesDir, { recursive: true });
    const md = path.join(pagesDir, 'privacy.de.md');
    fs.writeFileSync(md, '# Datenschutz bei ACME\n\nWir sind **ACME**.');
    let page = (await get('/datenschutz')).text;
    expect(page).toContain('<h1>Datenschutz bei ACME</h1>\n<p>Wir sind <strong>ACME</strong>.</p>');
    expect(page).not.toContain('template-notice');
    expect((await get('/privacy')).text).toContain('(template)');

    fs.writeFileSync(md, '# Datenschutz bei ACME GmbH\n\nGeändert.');
    fs.utimesSync(md, new Date(), new Date(Date.now() + 5000));
    page = (await get('/datenschutz')).text;
    expect(page).toContain('<h1>Datenschutz bei ACME GmbH</h1>');

    const html = path.join(pagesDir, 'privacy.de.html');
    fs.writeFileSync(html, '<h1>Eigenes HTML</h1><p onclick="alert(1)">Hallo</p><script>alert(2)</script>');
    const res = await get('/datenschutz');
    // Taken as is — but under the CSP without any script source, none of it can run.
    expect(res.text).toContain('<main>\n<h1>Eigenes HTML</h1><p onclick="alert(1)">Hallo</p><script>alert(2)</script>\n  </main>');
    expect(res.headers.get('content-security-policy')).toBe(PUBLIC_PAGES_CSP);

    fs.writeFileSync(html, '<!DOCTYPE html><html lang="de"><title>Ganz eigen</title><p>Ganzes Dokument</p></html>');
    const doc = await get('/datenschutz');
    expect(doc.text).toBe('<!DOCTYPE html><html lang="de"><title>Ganz eigen</title><p>Ganzes Dokument</p></html>');
    expect(doc.headers.get('content-security-policy')).toBe(PUBLIC_PAGES_CSP);

    fs.rmSync(html);
    expect((await get('/datenschutz')).text).toContain('Datenschutz bei ACME GmbH');
    fs.rmSync(md);
    expect((await get('/datenschutz')).text).toContain('(Vorlage)');

    fs.writeFileSync(path.join(pagesDir, 'imprint.en.md'), '# Imprint\n\nACME Ltd, 1 Example Street');
    expect((await get('/imprint')).text).toContain('<p>ACME Ltd, 1 Example Street</p>');
    fs.writeFileSync(path.join(pagesDir, 'contact.en.md'), 'Write to ACME.');
    const contact = (await get('/contact')).text;
    expect(contact).toContain('<p>Write to ACME.</p>');
    expect(contact).toContain('<form method="post" action="/contact"');
    fs.rmSync(path.join(pagesDir, 'imprint.en.md'));
    fs.rmSync(path.join(pagesDir, 'contact.en.md'));
  });

  it("renders the operator's Markdown inert: scripts, raw HTML and javascript: links are escaped", async () => {
    fs.mkdirSync(pagesDir, { recursive: true });
    const md = path.join(pagesDir, 'imprint.de.md');
    fs.writeFileSync(md, '# Impressum\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\n[Klick](javascript:alert(3)) [Mail](mailto:info@acme.example) <iframe src="https://evil.example"></iframe>');
    const page = (await get('/impressum')).text;
    const main = page.slice(page.indexOf('<main>'), page.indexOf('</main>'));
    expect(main).not.toMatch(/<script|<img|<iframe|href="javascript/i);
    expect(main).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(main).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
    expect(main).toContain('Klick <a href="mailto:info@acme.example">Mail</a> &lt;iframe');
    fs.rmSync(md);
  });

  it('ignores a page file over the size limit with a log line and shows the default', async () => {
    const dir = fs.mkdtempSync(path.join(app.dataDir, 'big-'));
    fs.writeFileSync(path.join(dir, 'privacy.en.md'), 'x'.repeat(PAGE_FILE_LIMIT + 1));
    const lines: string[] = [];
    const log: Logger = { info: () => {}, warn: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`), error: () => {} };
    const files = new PageFiles(dir, log);
    expect(await files.load('privacy', 'en')).toBeNull();
    expect(await files.load('privacy', 'en')).toBeNull();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/larger than 256 KiB.*"file":"privacy.en.md"/);
    fs.writeFileSync(path.join(dir, 'privacy.en.md'), 'small');
    expect((await files.load('privacy', 'en'))?.html).toBe('<p>small</p>');
  });
});

describe('contact form', () => {
  it('stores a submission encrypted, visible to staff, and confirms it in the page language', async () => {
    const before = count();
    const token = await freshToken('/kontakt');
    expect(token).not.toBe('');
    const res = await post('/kontakt', { ...VALID, token, website: '' }, { headers: { origin: app.portalUrl!, 'sec-fetch-site': 'same-origin' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(PUBLIC_PAGES_CSP);
    expect(res.text).toContain('<html lang="de">');
    expect(res.text).toContain('Wir antworten innerhalb eines Monats');
    const id = /<code>(req_[a-z2-7]{16})<\/code>/.exec(res.text)?.[1];
    expect(id).toBeDefined();
    expect(count()).toBe(before + 1);
    const row = app.ctx.db.prepare('SELECT * FROM requests WHERE id = ?').get(id) as Record<string, string>;
    for (const col of ['name_enc', 'email_enc', 'message_enc']) expect(row[col]).toMatch(/^ce1:/);
    expect(JSON.stringify(row)).not.toMatch(/Erika|example\.org|speichern/);
    const staff = await admin.get(`/api/requests/${id}`);
    expect(staff.status).toBe(200);
    expect(staff.body).toMatchObject({ id, kind: 'access', name: 'Erika Mustermann', email: 'erika@example.org', message: VALID.message, status: 'open' });
    expect(app.ctx.audit.list({ limit: 1, actionPrefix: 'request.receive' })[0]!.target).toBe(id);

    const en = await post('/contact', { ...VALID, kind: 'contact', token: await freshToken('/contact') });
    expect(en.status).toBe(200);
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('We answer within one month');
  });

  it("carries a customer reference from the link to the stored request", async () => {
    const created = await admin.post('/api/customers', { name: 'ACME GmbH', email: 'ads@acme.example' });
    expect(created.status).toBe(201);
    const customerId = created.body.id as string;
    const form = (await get(`/contact?customer=${customerId}`)).text;
    expect(form).toContain(`<input type="hidden" name="customerId" value="${customerId}">`);
    expect((await get('/contact?customer=%22%3E%3Cscript%3E')).text).not.toContain('name="customerId"');
    const res = await post('/contact', { ...VALID, customerId, token: tokenOf(form) });
    expect(res.status).toBe(200);
    const id = /<code>(req_[a-z2-7]{16})<\/code>/.exec(res.text)![1];
    expect(app.ctx.db.prepare('SELECT customer_id FROM requests WHERE id = ?').pluck().get(id)).toBe(customerId);
  });

  it('answers field errors with the form again: values kept and escaped, messages in the page language', async () => {
    const before = count();
    const de = await post('/kontakt', { kind: 'erasure', name: 'Max <script>alert(1)</script>', email: 'kein-at-zeichen', message: '', token: await freshToken() });
    expect(de.status).toBe(422);
    expect(de.text).toContain('Bitte prüfen Sie die markierten Angaben.');
    expect(de.text).toContain('value="Max &lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(de.text).not.toContain('<script>');
    expect(de.text).toContain('value="kein-at-zeichen" aria-invalid="true"');
    expect(de.text).toContain('Bitte geben Sie eine gültige E-Mail-Adresse an.');
    expect(de.text).toContain('Bitte schreiben Sie Ihre Nachricht');
    expect(de.text).not.toContain('Bitte geben Sie Ihren Namen an');
    expect(de.text).toContain('<option value="erasure" selected>');
    expect(tokenOf(de.text)).not.toBe('');
    const en = await post('/contact', { ...VALID, kind: 'complaint', message: 'm'.repeat(5001), token: await freshToken('/contact') });
    expect(en.status).toBe(422);
    expect(en.text).toContain('Please choose a kind of request.');
    expect(en.text).toContain('Please write your message (at most 5,000 characters).');
    expect(count()).toBe(before);
  });

  it('refuses a missing, forged or expired form token and keeps the values', async () => {
    const before = count();
    const missing = await post('/kontakt', VALID);
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('Das Formular war ungültig');
    expect(missing.text).toContain('value="Erika Mustermann"');
    const token = await freshToken();
    const [issuedAt, mac] = token.split('.') as [string, string];
    const forged = [`${(parseInt(issuedAt, 36) + 1).toString(36)}.${mac}`, `${issuedAt}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, `${Date.now().toString(36)}.${'A'.repeat(43)}`, 'garbage'];
    for (const bad of forged) expect((await post('/kontakt', { ...VALID, token: bad })).status).toBe(403);

    clock = new Date(clock.getTime() + FORM_TOKEN_TTL_MS + 60_000);
    const expired = await post('/contact', { ...VALID, token });
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('The form has expired');
    expect(expired.text).toContain('value="erika@example.org"');
    // The page it answers with carries a fresh token that works.
    expect((await post('/contact', { ...VALID, token: tokenOf(expired.text) })).status).toBe(200);
    expect(count()).toBe(before + 1);
  });

  it('refuses cross-site posts by Origin or Sec-Fetch-Site, and a filled honeypot', async () => {
    const before = count();
    const token = await freshToken();
    const cross = await post('/kontakt', { ...VALID, token }, { headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
    expect(cross.text).toContain('nur von dieser Seite aus');
    expect(cross.text).not.toContain('Erika');
    expect((await post('/kontakt', { ...VALID, token }, { headers: { 'sec-fetch-site': 'cross-site', origin: app.portalUrl! } })).status).toBe(403);
    expect((await post('/kontakt', { ...VALID, token }, { headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403);
    expect((await post('/kontakt', { ...VALID, token, website: 'https://spam.example' })).status).toBe(400);
    expect(count()).toBe(before);
    // Browsers send `Origin: null` on same-origin posts under Referrer-Policy: no-referrer.
    expect((await post('/kontakt', { ...VALID, token }, { headers: { origin: 'null' } })).status).toBe(200);
  });

  it('refuses other media types and oversized bodies with a page', async () => {
    const token = await freshToken('/contact');
    const json = await post('/contact', {}, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...VALID, token }) });
    expect(json.status).toBe(415);
    expect(json.text).toContain('unknown format');
    const big = await post('/contact', {}, { body: new URLSearchParams({ ...VALID, token, message: 'ü'.repeat(9000) }).toString() });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('shares its rate limit with POST /v1/contact, which still works', async () => {
    const ip = (n: number) => `203.0.113.${n}`;
    const api = (n: number) =>
      fetch(`${app.deliveryUrl}/v1/contact`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip(n) }, body: JSON.stringify(VALID) });
    expect((await api(1)).status).toBe(202);
    expect((await api(2)).status).toBe(202);
    expect((await post('/kontakt', { ...VALID, token: await freshToken() }, { ip: ip(3) })).status).toBe(200);
    expect((await post('/kontakt', { ...VALID, email: 'bad', token: await freshToken() }, { ip: ip(4) })).status).toBe(422);
    expect((await api(5)).status).toBe(202);
    const limited = await post('/kontakt', { ...VALID, token: await freshToken() }, { ip: ip(6) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.text).toMatch(/Bitte versuchen Sie es in \d+ Minuten erneut/);
    // Counted before the body is read (as for the JSON API), so the form comes back empty but ready.
    expect(tokenOf(limited.text)).not.toBe('');
    expect((await api(7)).status).toBe(429);
    expect((await api(8)).headers.get('access-control-allow-origin')).toBe('*');
  });
});
