import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { de } from '../src/i18n/de';
import { en } from '../src/i18n/en';

const SRC = path.resolve(import.meta.dirname, '../src');

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

describe('console messages', () => {
  it('has every literal key used in the sources, in German and English', () => {
    const used = new Set<string>();
    for (const file of files(SRC)) {
      const text = fs.readFileSync(file, 'utf8');
      // t('a.b'), t("a.b") and i18n.global.t('a.b'); keys built at run time (`roles.${r}`) are checked below.
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\b(?:title|label): '([a-z]+\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
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
      ...CUSTOMER_KINDS.map((k) => `customers.kinds.${k}`),
      ...CUSTOMER_STATUSES.map((s) => `customers.statuses.${s}`),
    ];
    expect(keys.filter((k) => typeof lookup(de, k) !== 'string' || typeof lookup(en, k) !== 'string')).toEqual([]);
  });
});
