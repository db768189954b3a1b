import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { de } from '../src/i18n/de';
import { en } from '../src/i18n/en';
import { de as portalDe } from '../portal/i18n/de';
import { en as portalEn } from '../portal/i18n/en';

const SRC = path.resolve(import.meta.dirname, '../src');
const PORTAL = path.resolve(import.meta.dirname, '../portal');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.(vue|ts)$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

function lookup(messages: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), messages);
}

function leaves(node: unknown, prefix = ''): string[] {
  if (typeof node === 'string') return [prefix];
  return Object.entries(node as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** The literal message keys in these files: t('a.b') and i18n.global.t('a.b'), route titles and link labels. */
function literalKeys(sources: readonly string[]): Set<string> {
  const used = new Set<string>();
  for (const file of sources) {
    const text = fs.readFileSync(file, 'utf8');
    // Keys built at run time (`roles.${r}`) are checked by the "dynamic keys" tests.
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    for (const m of text.matchAll(/\b(?:title|label): '([a-z]+\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
  }
  return used;
}

/** The portal's own files and every file of the console they import, directly or not (shared components). */
function portalSources(): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bfrom '(\.[^']+)'/g)) {
      const target = path.resolve(path.dirname(file), m[1]!);
      const found = [target, `${target}.ts`].find((f) => /\.(vue|ts)$/.test(f) && fs.existsSync(f));
      if (found && (found.startsWith(SRC) || found.startsWith(PORTAL))) visit(found);
    }
  };
  for (const file of files(PORTAL)) visit(file);
  return [...seen].filter((f) => !f.endsWith('vite.config.ts'));
}

describe('console messages', () => {
  it('has every literal key used in the sources, in German and English', () => {
    const used = literalKeys(files(SRC));
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => typeof lookup(de, k) !== 'string' || typeof lookup(en, k) !== 'string');
    expect(missing).toEqual([]);
  });

  it('has the same keys in both languages and no unescaped message syntax', () => {
    expect(leaves(en).sort()).toEqual(leaves(de).sort());
    for (const [name, messages] of [['de', de], ['en', en]] as const) {
      for (const key of leaves(messages)) {
        const text = lookup(messages, key) as string;
        // vue-i18n treats @ as a linked message and | as a plural separator.
        expect(`${name}:${key}:${/[@|]/.test(text.replace(/\{'[@|]'\}/g, ''))}`).toBe(`${name}:${key}:false`);
      }
    }
  });

  it('has a German and an English text for every error code, and fills in every param the server sends', async () => {
    const { ERROR_CODES } = await import('../../common/error-codes');
    const { CONSOLE_ERROR_CODES } = await import('../src/api/client');
    const keys = [...ERROR_CODES, ...CONSOLE_ERROR_CODES].map((c) => `errors.${c}`);
    expect(keys.filter((k) => typeof lookup(de, k) !== 'string' || typeof lookup(en, k) !== 'string')).toEqual([]);
    // The texts of codes with params show them (as the words use-error-text makes of them).
    for (const [code, placeholder] of [['payload_too_large', '{size}'], ['too_many_requests', '{wait}']] as const) {
      expect([lookup(de, `errors.${code}`), lookup(en, `errors.${code}`)].every((text) => String(text).includes(placeholder))).toBe(true);
    }
  });

  it('names every role, status and kind the dynamic keys use', async () => {
    const { ROLES } = await import('../../common/roles');
    const { CAMPAIGN_STATUSES } = await import('../../common/schemas/campaign');
    const { CASE_STATUSES } = await import('../../common/schemas/cases');
    const { REQUEST_KINDS, REQUEST_STATUSES } = await import('../../common/schemas/requests');
    const { CUSTOMER_KINDS, CUSTOMER_STATUSES } = await import('../../common/schemas/customer');
    const keys = [
      ...ROLES.map((r) => `roles.${r}`),
      ...CAMPAIGN_STATUSES.map((s) => `campaigns.statuses.${s}`),
      ...CASE_STATUSES.map((s) => `cases.statuses.${s}`),
      ...REQUEST_KINDS.map((k) => `requests.kinds.${k}`),
      ...REQUEST_STATUSES.map((s) => `requests.statuses.${s}`),
      ...['new', 'in_progress', 'done'].map((s) => `requests.customerStatuses.${s}`),
      ...CUSTOMER_KINDS.map((k) => `customers.kinds.${k}`),
      ...CUSTOMER_STATUSES.map((s) => `customers.statuses.${s}`),
    ];
    expect(keys.filter((k) => typeof lookup(de, k) !== 'string' || typeof lookup(en, k) !== 'string')).toEqual([]);
  });
});

describe('customer portal messages', () => {
  it('has every literal key the portal and the console components it uses need, in German and English', () => {
    const sources = portalSources();
    // The shared pieces are really scanned (statistics, forms, tag snippets), not only the portal's own files.
    expect(sources.some((f) => f.endsWith('StatsResults.vue')) && sources.some((f) => f.endsWith('TagSnippets.vue'))).toBe(true);
    const used = literalKeys(sources);
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => typeof lookup(portalDe, k) !== 'string' || typeof lookup(portalEn, k) !== 'string');
    expect(missing).toEqual([]);
  });

  it('has the same keys in both languages and no unescaped message syntax', () => {
    expect(leaves(portalEn).sort()).toEqual(leaves(portalDe).sort());
    for (const [name, messages] of [['de', portalDe], ['en', portalEn]] as const) {
      for (const key of leaves(messages)) {
        const text = lookup(messages, key) as string;
        expect(`${name}:${key}:${/[@|]/.test(text.replace(/\{'[@|]'\}/g, ''))}`).toBe(`${name}:${key}:false`);
      }
    }
  });

  it('has a German and an English text for every error code', async () => {
    const { ERROR_CODES } = await import('../../common/error-codes');
    const { CONSOLE_ERROR_CODES } = await import('../src/api/client');
    const keys = [...ERROR_CODES, ...CONSOLE_ERROR_CODES].map((c) => `errors.${c}`);
    expect(keys.filter((k) => typeof lookup(portalDe, k) !== 'string' || typeof lookup(portalEn, k) !== 'string')).toEqual([]);
  });

  it('names every status and kind the dynamic keys use', async () => {
    const { CAMPAIGN_STATUSES } = await import('../../common/schemas/campaign');
    const { CREATIVE_STATUSES } = await import('../../common/schemas/creative');
    const { SITE_KINDS } = await import('../../common/schemas/site');
    const { REQUEST_KINDS } = await import('../../common/schemas/requests');
    const { CUSTOMER_KINDS } = await import('../../common/schemas/customer');
    const { PORTAL_REQUEST_STATUSES } = await import('../../common/schemas/portal');
    const keys = [
      ...CAMPAIGN_STATUSES.map((s) => `campaigns.statuses.${s}`),
      ...CREATIVE_STATUSES.map((s) => `creatives.statuses.${s}`),
      ...SITE_KINDS.map((k) => `sites.kinds.${k}`),
      ...REQUEST_KINDS.map((k) => `requests.kinds.${k}`),
      ...CUSTOMER_KINDS.map((k) => `customers.kinds.${k}`),
      ...PORTAL_REQUEST_STATUSES.map((s) => `portal.requests.statuses.${s}`),
      ...PORTAL_REQUEST_STATUSES.filter((s) => s !== 'new').map((s) => `portal.requests.mark.${s}`),
      ...['customer', 'staff'].map((a) => `portal.requests.author.${a}`),
      ...['deletionRequested', 'expired'].map((r) => `portal.signIn.${r}`),
    ];
    expect(keys.filter((k) => typeof lookup(portalDe, k) !== 'string' || typeof lookup(portalEn, k) !== 'string')).toEqual([]);
  });
});
