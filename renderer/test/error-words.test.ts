import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorDetail } from '../../common/error-codes';
import { fieldIssueDetail } from '../../common/field-issue';
import { IPC_ERROR_CODES } from '../../common/ipc-channels';
import { CHECK_KEYS } from '../../common/schemas/checks';
import { siteCreateSchema } from '../../common/schemas/site';
import { creativeCreateSchema } from '../../common/schemas/creative';
import { CONSOLE_ERROR_CODES } from '../src/api/client';
import { errorTextParams } from '../src/composables/use-error-text';
import { fieldErrorText } from '../src/composables/field-error-text';
import { de } from '../src/i18n/de';
import { en } from '../src/i18n/en';
import { de as portalDe } from '../portal/i18n/de';
import { en as portalEn } from '../portal/i18n/en';

const ROOT = path.resolve(import.meta.dirname, '../..');
const MESSAGES = { de, en, portalDe, portalEn } as const;

function files(dir: string, ext = /\.ts$/): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : files(full, ext);
    return ext.test(e.name) && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

function lookup(messages: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), messages);
}

function leaves(node: unknown, prefix = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[prefix, node]];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** A minimal `t`: the message with `{name}` filled in, as vue-i18n does for these texts. */
function translator(messages: unknown) {
  const t = (key: string, params: Record<string, unknown> = {}) =>
    String(lookup(messages, key) ?? key).replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)).replace(/\{'(.)'\}/g, '$1');
  const te = (key: string) => typeof lookup(messages, key) === 'string';
  return { t, te };
}

/** What the server can answer: every `new HttpError(status, 'code'` and helper call in server/, with the param names it sends. */
function serverErrors(): Array<{ file: string; code: string; params: string[] }> {
  const helpers: Record<string, string> = { badRequest: 'bad_request', notFound: 'not_found', forbidden: 'forbidden', conflict: 'conflict', unauthenticated: 'unauthenticated', payloadTooLarge: 'payload_too_large', tooManyRequests: 'too_many_requests' };
  const found: Array<{ file: string; code: string; params: string[] }> = [];
  for (const file of files(path.join(ROOT, 'server'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/new HttpError\(\s*\d{3},\s*'([a-z_]+)'([^;]*)/g)) {
      // The params object, when given, is the last `{ … }` of the call: its names (shorthand or `name:`).
      const tail = m[2]!;
      const last = /\{([^{}]*)\}\s*\)\s*$/.exec(tail)?.[1] ?? '';
      const hasParams = /undefined,\s*(?:undefined|\{[^}]*\}|[A-Z_]+),\s*\{/.test(tail);
      const params = hasParams ? last.split(',').map((e) => e.split(':')[0]!.trim()).filter((e) => e !== '') : [];
      found.push({ file: path.relative(ROOT, file), code: m[1]!, params });
    }
    for (const [helper, code] of Object.entries(helpers)) if (new RegExp(`\\b${helper}\\(`).test(text)) found.push({ file: path.relative(ROOT, file), code, params: [] });
  }
  return found;
}

describe('error codes in words', () => {
  it('has a German and an English text for every code the server, the console and the desktop app can give (console and portal)', () => {
    const codes = [...new Set([...ERROR_CODES, ...CONSOLE_ERROR_CODES, ...IPC_ERROR_CODES])];
    for (const [name, messages] of Object.entries(MESSAGES)) {
      expect([name, codes.filter((c) => typeof lookup(messages, `errors.${c}`) !== 'string')]).toEqual([name, []]);
    }
  });

  it('finds every code the server sends in the catalogue, with its params shown in both languages', () => {
    const sent = serverErrors();
    // The scan really sees the server's errors (a broken pattern would find none and pass).
    expect(sent.length).toBeGreaterThan(80);
    expect(sent.some((s) => s.code === 'ceremony_not_enrolled' && s.params.includes('names'))).toBe(true);
    expect(sent.filter((s) => !(ERROR_CODES as readonly string[]).includes(s.code))).toEqual([]);
    const shown: Record<string, string> = { limit: 'size', retryAfterSeconds: 'wait' };
    const missing = sent.flatMap((s) =>
      s.params.flatMap((p) =>
        (['de', 'en'] as const).filter((l) => !String(lookup(MESSAGES[l], `errors.${s.code}`)).includes(`{${shown[p] ?? p}}`)).map((l) => `${l}:${s.code}:{${shown[p] ?? p}}`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('fills params in as words: case states and kinds by name, lists joined', () => {
    const { t, te } = translator(de);
    expect(t('errors.case_not_open', errorTextParams({ status: 'awaiting_approval' }, 'de', (k) => (te(k) ? t(k) : '')))).toContain(`„${de.cases.statuses.awaiting_approval}“`);
    expect(t('errors.case_scope_unknown', errorTextParams({ kind: 'zone' }, 'de', (k) => (te(k) ? t(k) : '')))).toContain(de.fields.zone);
    expect(t('errors.ceremony_not_enrolled', errorTextParams({ names: ['Ada', 'Grace'] }, 'de', () => ''))).toContain('Ada, Grace');
  });

  it('shows no API paths or HTTP jargon to console or portal users', () => {
    const jargon = /\/api\/|\/portal-api\/|\b(?:GET|POST|PATCH|PUT|DELETE) \/|\bHTTP \d/;
    for (const [name, messages] of Object.entries(MESSAGES)) {
      expect([name, leaves(messages).filter(([, text]) => jargon.test(text)).map(([k]) => k)]).toEqual([name, []]);
    }
  });

  it('says in German where an HTML creative breaks the rules, as precisely as the English message', () => {
    const detail = (params: Record<string, string>): ErrorDetail => ({ path: 'html', message: 'English', code: 'custom', params: { key: 'htmlUnsafe', click: '%%CLICK_URL%%', ...params } });
    for (const [locale, messages] of [['de', de], ['en', en]] as const) {
      const { t, te } = translator(messages);
      const onAttribute = fieldErrorText(detail({ element: 'div', attribute: 'style' }), locale, t, te);
      expect(onAttribute).toContain('style');
      expect(onAttribute).toContain('<div>');
      expect(onAttribute).toContain('href="%%CLICK_URL%%"');
      expect(onAttribute).not.toMatch(/\{\w+\}/);
      expect(fieldErrorText(detail({ element: 'script' }), locale, t, te)).toContain('<script>');
      expect(fieldErrorText(detail({}), locale, t, te)).not.toMatch(/\{\w+\}|<>/);
    }
  });

  it('never shows the server message in the console (only its own texts)', () => {
    // Apart from the API client that keeps it for logs, nothing in the renderer reads an error's `.message`.
    const readers = [...files(path.join(ROOT, 'renderer/src'), /\.(ts|vue)$/), ...files(path.join(ROOT, 'renderer/portal'), /\.(ts|vue)$/)]
      .filter((f) => /\b(?:err|error|e|apiError|store\.error|session\.error)\??\.message\b/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(ROOT, f));
    expect(readers).toEqual(['renderer/src/api/client.ts']);
  });
});

describe('field errors in words', () => {
  it('has a German and an English text for every key of the schemas’ own checks', () => {
    for (const [name, messages] of Object.entries(MESSAGES)) {
      expect([name, CHECK_KEYS.filter((k) => typeof lookup(messages, `validation.checks.${k}`) !== 'string')]).toEqual([name, []]);
    }
  });

  it('gives every regex and refinement in common/schemas a key (no anonymous check)', () => {
    const anonymous: string[] = [];
    for (const file of files(path.join(ROOT, 'common/schemas')).filter((f) => !f.endsWith('checks.ts'))) {
      const text = fs.readFileSync(file, 'utf8');
      if (/\.regex\(/.test(text)) anonymous.push(`${path.basename(file)}: .regex( (use matches())`);
      for (const m of text.matchAll(/\.(refine|superRefine)\(|addIssue\(/g)) {
        const call = callText(text, m.index! + m[0].length - 1);
        if (m[1] === 'superRefine' && /^\(\w+\)$/.test(call)) continue; // a named function: its addIssue calls are checked themselves
        const named = /,\s*(\w+)\)$/.exec(call)?.[1];
        const keyedConst = named !== undefined && new RegExp(`const ${named} = \\{ \\.\\.\\.keyed\\(`).test(text);
        if (!/keyed\(|matches\(/.test(call) && !keyedConst) anonymous.push(`${path.basename(file)}: ${call.slice(0, 80)}`);
      }
    }
    expect(anonymous).toEqual([]);
  });

  it('words a bad domain as precisely in German as in English, for the console’s check and the server’s detail alike', () => {
    const result = siteCreateSchema.safeParse({ customerId: 'cus_aaaaaaaaaaaaaaaa', name: 'Shop', domain: 'https://shop.example/' });
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path[0] === 'domain')!;
    const fromServer: ErrorDetail = JSON.parse(JSON.stringify(fieldIssueDetail(issue)));
    for (const [locale, messages] of [['de', de], ['en', en]] as const) {
      const { t, te } = translator(messages);
      expect(fieldErrorText(fieldIssueDetail(issue), locale, t, te)).toBe(messages.validation.checks.domain);
      expect(fieldErrorText(fromServer, locale, t, te)).toBe(messages.validation.checks.domain);
    }
    expect(de.validation.checks.domain).toMatch(/beispiel\.de/);
  });

  it('names the numbers of a limit and the reason of a refused landing URL in German', () => {
    const result = creativeCreateSchema.safeParse({ campaignId: 'cam_aaaaaaaaaaaaaaaa', width: 300, height: 250, assetId: 'ast_aaaaaaaaaaaaaaaa', landingUrl: 'shop.example', alt: 'x'.repeat(500) });
    expect(result.success).toBe(false);
    const { t, te } = translator(de);
    const texts = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), fieldErrorText(fieldIssueDetail(i), 'de', t, te)]));
    expect(texts.landingUrl).toBe(de.validation.checks.landingUrlAbsolute);
    expect(texts.alt).toMatch(/^Höchstens \d+ Zeichen\.$/);
  });
});

/** The text of a call's arguments, from its opening parenthesis to the matching closing one. */
function callText(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}
