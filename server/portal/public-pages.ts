import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { isId } from '../../common/schemas/ids';
import { PUBLIC_PAGES_CSP } from '../../common/csp';
import type { AppContext } from '../app-context';
import { readBody } from '../http/body';
import { HttpError } from '../http/http-error';
import type { Router } from '../http/router';
import type { ContactIntake } from '../requests/contact-intake';
import { FORM_FIELDS, formInput, HONEYPOT_FIELD, renderContactForm, renderContactSuccess, TOKEN_FIELD, type FormOutcome, type FormValues } from './contact-form';
import { DEFAULT_PAGES } from './default-pages';
import { FormTokens, isCrossSite } from './form-token';
import { renderMarkdown } from './markdown';
import { PageFiles } from './page-files';
import { PAGES_CSS, PAGES_ICON, renderPage } from './page-layout';
import { PAGE_LANGS, PAGE_PATHS, PAGES_CSS_PATH, PAGES_ICON_PATH, type PageLang } from './page-paths';
import type { PortalState } from './portal-route';

/**
 * Largest form body: the contact schema's limits (5,000 characters of message) percent-encoded,
 * where one character may take up to nine bytes; the schema then applies the same limits as the JSON API.
 */
export const FORM_BODY_LIMIT = 48 * 1024;

/** What the public pages need: the contact intake shared with POST /v1/contact, and where the operator's files are. */
export interface PublicPagesDeps {
  contact: ContactIntake;
  /** Default `<dataDir>/pages`. */
  pagesDir?: string;
  /**
   * Key of the form tokens; default random per process (a restart only asks open forms to be sent
   * again). Processes that share one portal origin (several workers) must be given the same key.
   */
  formKey?: Buffer;
}

/** A refusal of the HTML form before its fields are validated (stale or forged token, honeypot). */
class FormRefused extends Error {
  constructor(readonly outcome: FormOutcome) {
    super('form refused');
  }
}

/**
 * The public pages on the portal origin, server-rendered without any script: `/privacy` and
 * `/datenschutz`, `/imprint` and `/impressum` (the operator's files in `<dataDir>/pages/`, else
 * templates), `/contact` and `/kontakt` (a form posting to itself, handled by the same intake as
 * POST /v1/contact) and their stylesheet. Every page carries PUBLIC_PAGES_CSP instead of the portal's policy.
 */
export function registerPublicPages(ctx: AppContext, portal: Router<PortalState>, deps: PublicPagesDeps): void {
  const files = new PageFiles(deps.pagesDir ?? path.join(ctx.config.dataDir, 'pages'), ctx.log);
  const tokens = new FormTokens(() => ctx.now().getTime(), deps.formKey);

  portal.on(['GET', 'HEAD'], PAGES_CSS_PATH, ({ res }) => send(res, 200, PAGES_CSS, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }));
  portal.on(['GET', 'HEAD'], PAGES_ICON_PATH, ({ res }) => send(res, 200, PAGES_ICON, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' }));

  for (const lang of PAGE_LANGS) {
    for (const name of ['privacy', 'imprint'] as const) {
      portal.on(['GET', 'HEAD'], PAGE_PATHS[name][lang], async ({ res }) => {
        const page = await files.load(name, lang);
        const html = page?.kind === 'document' ? page.html : renderPage({ name, lang, main: page ? page.html : renderMarkdown(DEFAULT_PAGES[name][lang]), template: !page });
        // Revalidated on every view, so an edited file shows at once.
        sendHtml(res, 200, lang, html, 'no-cache');
      });
    }

    /** The contact page: the operator's intro (or the default) above `form`, or only `body` after success. */
    const contactPage = async (form: string) => {
      const intro = await files.load('contact', lang);
      return renderPage({ name: 'contact', lang, main: `${intro ? intro.html : renderMarkdown(DEFAULT_PAGES.contact[lang])}\n${form}` });
    };
    const formPage = (values: FormValues, outcome?: FormOutcome) => contactPage(renderContactForm({ lang, token: tokens.issue(), values, outcome }));

    portal.on(['GET', 'HEAD'], PAGE_PATHS.contact[lang], async ({ res, query }) => {
      // A link may name the customer a request is about (…/kontakt?customer=cus_…); anything else is ignored.
      const customer = query.get('customer');
      sendHtml(res, 200, lang, await formPage(isId('customer', customer) ? { customerId: customer } : {}), 'no-store');
    });

    portal.post(PAGE_PATHS.contact[lang], async ({ req, res }) => {
      if (isCrossSite(req)) {
        req.resume();
        return sendHtml(res, 403, lang, await formPage({}, { kind: 'cross_site' }), 'no-store');
      }
      let values: FormValues = {};
      try {
        const { id } = await deps.contact(req, async () => {
          const form = await readForm(req);
          values = form.values;
          const token = tokens.check(form.token);
          if (token !== 'valid') throw new FormRefused({ kind: token === 'expired' ? 'expired' : 'invalid_token' });
          if (form.honeypot) throw new FormRefused({ kind: 'honeypot' });
          return formInput(values);
        });
        return sendHtml(res, 200, lang, renderPage({ name: 'contact', lang, main: renderContactSuccess(lang, id) }), 'no-store');
      } catch (err) {
        const answer = refusalOf(err);
        if (!answer) throw err;
        return sendHtml(res, answer.status, lang, await formPage(values, answer.outcome), 'no-store', answer.headers);
      }
    });
  }
}

/** The status and page message for a failed post; null for failures that are not the visitor's (rethrown). */
function refusalOf(err: unknown): { status: number; outcome: FormOutcome; headers?: Record<string, string> } | null {
  if (err instanceof FormRefused) return { status: err.outcome.kind === 'honeypot' ? 400 : 403, outcome: err.outcome };
  if (!(err instanceof HttpError)) return null;
  switch (err.code) {
    case 'validation_failed': {
      const errors: Partial<Record<(typeof FORM_FIELDS)[number], true>> = {};
      for (const detail of err.details ?? []) {
        const field = FORM_FIELDS.find((f) => f === detail.path);
        if (field) errors[field] = true;
      }
      return { status: 422, outcome: { kind: 'fields', errors } };
    }
    case 'too_many_requests': {
      const seconds = Number(err.headers?.['retry-after'] ?? 60);
      return { status: 429, outcome: { kind: 'rate_limited', minutes: Math.max(1, Math.ceil(seconds / 60)) }, headers: { 'retry-after': String(seconds) } };
    }
    case 'payload_too_large':
      return { status: 413, outcome: { kind: 'too_large' }, headers: { connection: 'close' } };
    case 'unsupported_media_type':
      return { status: 415, outcome: { kind: 'media_type' } };
    default:
      return null;
  }
}

/** Reads an `application/x-www-form-urlencoded` body: the form's fields (first value of each), its token and the honeypot. */
async function readForm(req: IncomingMessage): Promise<{ values: FormValues; token: string | null; honeypot: boolean }> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
    req.resume();
    throw new HttpError(415, 'unsupported_media_type', 'Send the form as application/x-www-form-urlencoded.');
  }
  const params = new URLSearchParams((await readBody(req, FORM_BODY_LIMIT)).toString('utf8'));
  const values: FormValues = {};
  for (const field of FORM_FIELDS) {
    const value = params.get(field);
    if (value !== null) values[field] = value;
  }
  return { values, token: params.get(TOKEN_FIELD), honeypot: (params.get(HONEYPOT_FIELD) ?? '') !== '' };
}

/** Sends a page under the public pages' CSP (replacing the portal's) in its language. */
function sendHtml(res: ServerResponse, status: number, lang: PageLang, html: string, cache: string, headers: Record<string, string> = {}): void {
  send(res, status, html, { 'content-type': 'text/html; charset=utf-8', 'content-language': lang, 'cache-control': cache, 'content-security-policy': PUBLIC_PAGES_CSP, ...headers });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}
