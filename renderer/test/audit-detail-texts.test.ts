import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { AUDIT_DETAIL_KEYS, AUDIT_FIELD_EXTRAS, auditDetailTexts, type DetailFormat } from '../src/components/audit/audit-detail-texts';
import { de } from '../src/i18n/de';
import { en } from '../src/i18n/en';

const serverDir = path.resolve(__dirname, '../../server');

/**
 * Reads server/ (not its tests) with the TypeScript parser: every key of an object written as an
 * audit entry's `details` (spreads and conditionals included), and every string naming a field:
 * in a `fields` property, a `…EDITABLE` list or changedFields' candidates.
 */
function auditVocabulary(): { keys: Set<string>; fields: Set<string> } {
  const keys = new Set<string>();
  const fields = new Set<string>();
  const strings = (node: ts.Node, out: Set<string>) => {
    if (ts.isStringLiteral(node) && /^[a-zA-Z]+$/.test(node.text)) out.add(node.text);
    ts.forEachChild(node, (c) => strings(c, out));
  };
  const objectKeys = (node: ts.Expression): void => {
    if (ts.isParenthesizedExpression(node)) return objectKeys(node.expression);
    if (ts.isConditionalExpression(node)) {
      objectKeys(node.whenTrue);
      return objectKeys(node.whenFalse);
    }
    if (!ts.isObjectLiteralExpression(node)) return;
    for (const p of node.properties) {
      if (ts.isSpreadAssignment(p)) objectKeys(p.expression);
      else if (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) keys.add(p.name.text);
    }
  };
  const files = fs
    .readdirSync(serverDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.includes('.test.') && !e.parentPath.includes(`${path.sep}test`))
    .map((e) => path.join(e.parentPath, e.name));
  for (const file of files) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node) => {
      if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name)) {
        if (n.name.text === 'details') objectKeys(n.initializer);
        if (n.name.text === 'fields') strings(n.initializer, fields);
      }
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && /EDITABLE$/.test(n.name.text) && n.initializer) strings(n.initializer, fields);
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'changedFields' && n.arguments[2]) strings(n.arguments[2], fields);
      ts.forEachChild(n, visit);
    };
    visit(source);
  }
  return { keys, fields };
}

const format = (locale: 'de' | 'en'): DetailFormat => {
  const messages = locale === 'de' ? de : en;
  return {
    locale,
    formField: (name) => (messages.fields as Record<string, string>)[name] ?? null,
    role: (name) => (messages.roles as Record<string, string>)[name] ?? null,
    dateTime: (v) => new Date(v).toISOString().slice(0, 16),
    number: (n) => n.toLocaleString(locale),
  };
};

describe('audit detail texts', () => {
  it('labels every details key and every field name the server writes, in German and English', () => {
    const { keys, fields } = auditVocabulary();
    // The scan must see the catalogue's writers, or this test would pass on nothing.
    expect(keys.size).toBeGreaterThan(50);
    expect([...fields]).toEqual(expect.arrayContaining(['zoneIds', 'landingUrl', 'archivedAt', 'contactPerson']));
    for (const locale of ['de', 'en'] as const) {
      const labels = AUDIT_DETAIL_KEYS[locale];
      const missingKeys = [...keys].filter((k) => !labels[k]?.trim());
      expect(missingKeys, `${locale}: details keys without a label`).toEqual([]);
      const messages = locale === 'de' ? de : en;
      const missingFields = [...fields].filter((f) => !(messages.fields as Record<string, string>)[f] && !AUDIT_FIELD_EXTRAS[locale][f]);
      expect(missingFields, `${locale}: field names without a label`).toEqual([]);
    }
    // Both languages label the same keys.
    expect(Object.keys(AUDIT_DETAIL_KEYS.de).sort()).toEqual(Object.keys(AUDIT_DETAIL_KEYS.en).sort());
    expect(Object.keys(AUDIT_FIELD_EXTRAS.de).sort()).toEqual(Object.keys(AUDIT_FIELD_EXTRAS.en).sort());
  });

  it('turns details into labelled, readable lines', () => {
    const details = { fields: ['customerId', 'name', 'zoneIds', 'visitorDailyCap'], roles: ['admin', 'dpo'], via: 'setup', otherSessionsEnded: 2, hadTotp: false, expiresAt: '2026-12-10T08:00:00.000Z' };
    expect(auditDetailTexts(details, format('de'))).toEqual([
      { key: 'fields', label: 'Felder', value: 'Kunde, Name, Werbeflächen, Limit pro Besucher und Tag' },
      { key: 'roles', label: 'Rollen', value: 'Administration, Datenschutz' },
      { key: 'via', label: 'Über', value: 'setup' },
      { key: 'otherSessionsEnded', label: 'Andere Sitzungen beendet', value: '2' },
      { key: 'hadTotp', label: 'Hatte Zwei-Faktor-Anmeldung', value: 'nein' },
      { key: 'expiresAt', label: 'Gültig bis', value: '2026-12-10T08:00' },
    ]);
    expect(auditDetailTexts({ fields: ['zoneIds'], filters: { from: '2026-01-01', path: '/v1' } }, format('en'))).toEqual([
      { key: 'fields', label: 'Fields', value: 'Zones' },
      { key: 'filters', label: 'Filters', value: 'From: 2026-01-01; path: /v1' },
    ]);
    // An older entry's unknown key still shows, under its own name.
    expect(auditDetailTexts({ legacyThing: 'x' }, format('en'))).toEqual([{ key: 'legacyThing', label: 'legacyThing', value: 'x' }]);
  });
});
