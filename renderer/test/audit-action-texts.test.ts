import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LIST, AUDIT_ACTIONS, AUDIT_TARGET_KINDS } from '../../common/schemas/audit';
import { AUDIT_ACTION_TEXTS, auditActionText } from '../src/components/audit/audit-action-texts';
import { de } from '../src/i18n/de';
import { en } from '../src/i18n/en';

describe('audit action texts', () => {
  it('has a German and an English text for every action of the catalogue, and none for others', () => {
    expect(AUDIT_ACTION_LIST.length).toBeGreaterThan(80);
    for (const locale of ['de', 'en'] as const) {
      const texts = AUDIT_ACTION_TEXTS[locale];
      expect(Object.keys(texts).sort(), locale).toEqual([...AUDIT_ACTION_LIST].sort());
      for (const a of AUDIT_ACTION_LIST) {
        expect(texts[a].trim().length, `${locale} ${a}`).toBeGreaterThan(3);
        expect(texts[a], `${locale} ${a} is no code`).not.toBe(a);
      }
      // Two actions with one text could not be told apart in the log.
      expect(new Set(Object.values(texts)).size, locale).toBe(AUDIT_ACTION_LIST.length);
    }
    expect(auditActionText('de-DE', 'campaign.create')).toBe('Kampagne angelegt');
    expect(auditActionText('en', 'campaign.create')).toBe('Campaign created');
    expect(auditActionText('de', 'legacy.thing')).toBe('legacy.thing');
  });

  it('names every kind of object in both languages', () => {
    const used = new Set(Object.values(AUDIT_ACTIONS).filter((k) => k !== null));
    expect([...used].sort()).toEqual([...AUDIT_TARGET_KINDS].sort());
    for (const kind of AUDIT_TARGET_KINDS) {
      expect(typeof (de.audit.kinds as Record<string, string>)[kind], `de ${kind}`).toBe('string');
      expect(typeof (en.audit.kinds as Record<string, string>)[kind], `en ${kind}`).toBe('string');
    }
  });
});

describe('setup checklist texts', () => {
  it('has a title, hint and link text per step in both languages', async () => {
    const { setupSteps } = await import('../src/components/dashboard/setup-steps');
    const steps = setupSteps({ customers: 0, sites: 0, zones: 0, campaigns: 0, creatives: 0, tagServing: false, approversEnrolled: 0, ceremonyDone: false, latest: { customerId: null, siteId: null, zoneId: null, zoneSiteId: null, campaignId: null } });
    expect(steps.map((s) => s.key)).toEqual(['customer', 'site', 'zone', 'campaign', 'creative', 'tag', 'approvers', 'ceremony']);
    for (const messages of [de, en]) {
      for (const s of steps) {
        for (const group of ['steps', 'hints', 'go'] as const) expect(typeof (messages.guide[group] as Record<string, string>)[s.key], `${group}.${s.key}`).toBe('string');
      }
    }
  });
});
