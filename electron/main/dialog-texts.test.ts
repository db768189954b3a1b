import { describe, expect, it } from 'vitest';
import type { CaseView } from '../../common/schemas/cases';
import { appMenuTemplate } from './app-menu';
import { certificateDecision } from './certificate-pinning';
import {
  approvalDialogOptions,
  approvedByDialog,
  certificateDialogOptions,
  describeCaseIn,
  DIALOG_LOCALES,
  dialogLocale,
  fatalText,
  openExternalDialogOptions,
  type FatalCause,
} from './dialog-texts';

const view = {
  id: 'case_1',
  status: 'awaiting_approval',
  reason: 'Click fraud on\nzone 7',
  window: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' },
  filters: { zoneId: 'zon_aaaaaaaaaaaaaaaa' },
  createdBy: 'usr_1',
  createdAt: '2026-11-03T10:00:00.000Z',
  openedBy: { name: 'Rita Reviewer', email: 'rita@example.test' },
  affectedCustomerId: 'cus_1',
  customerInvolvement: null,
  keys: [{ keyId: 'sk_1', approvals: 1, threshold: 2 }],
  casePublicKey: null,
  notice: null,
} as unknown as CaseView;

/** Every text a dialog of the desktop app shows, in one language. */
function everyText(locale: 'de' | 'en'): string[] {
  const approval = approvalDialogOptions(describeCaseIn(view, locale), locale);
  const external = openExternalDialogOptions('https://example.com/docs', locale);
  const certificates = (['changed', 'untrusted'] as const).map((r) => certificateDialogOptions(r, 'ads.example', locale));
  const fatal = (['electron', 'serverStart', 'serverStopped'] as FatalCause[]).map((c) => fatalText(c, 'detail', locale));
  const menu = appMenuTemplate({ isMac: false, devTools: false, onConnection: () => undefined, locale });
  const menuLabels = menu.flatMap((m) => [m.label, ...(Array.isArray(m.submenu) ? m.submenu.map((s) => s.label) : [])]).filter((l): l is string => typeof l === 'string');
  return [
    approval.title, approval.message, approval.detail, ...approval.buttons,
    external.message, ...external.buttons,
    ...certificates.flatMap((c) => [c.message, c.detail, ...c.buttons]),
    ...fatal, ...menuLabels,
  ];
}

describe('the desktop app’s dialogs in the console’s language', () => {
  it('follows the console’s choice, else the system language (German systems German, others English)', () => {
    expect(dialogLocale('en', 'de-DE')).toBe('en');
    expect(dialogLocale('de', 'en-US')).toBe('de');
    expect(dialogLocale(null, 'de-AT')).toBe('de');
    expect(dialogLocale(null, 'fr-FR')).toBe('en');
    expect(dialogLocale(null, '')).toBe('en');
  });

  it('words every dialog in German and in English, the two differing everywhere but names and numbers', () => {
    const de = everyText('de');
    const en = everyText('en');
    expect(de).toHaveLength(en.length);
    expect(de.every((t) => t.trim() !== '') && en.every((t) => t.trim() !== '')).toBe(true);
    const same = de.filter((t, i) => t === en[i]);
    expect(same).toEqual(['OK', 'OK']); // the certificate warnings' button
  });

  it('asks in German with the case in German, Cancel by default', () => {
    const o = approvalDialogOptions(describeCaseIn(view, 'de'), 'de');
    expect(o.buttons).toEqual(['Freigeben', 'Abbrechen']);
    expect(o.message).toBe('Die Entsiegelung der Zugriffsprotokolle dieses Falls freigeben?');
    expect(o.detail).toContain('Fall case_1 (wartet auf Freigabe)');
    expect(o.detail).toContain('Begründung: Click fraud on zone 7');
    expect(o.detail).toContain('Betroffener Kunde: cus_1 (Beteiligung noch nicht vermerkt)');
    expect(o.detail).toContain('Bisherige Freigaben: sk_1: 1 von 2');
    expect(approvedByDialog(o.buttons.indexOf('Freigeben'))).toBe(true);
    expect(approvedByDialog(o.cancelId)).toBe(false);
    expect(o.defaultId).toBe(o.cancelId);
  });

  it('names the refused host and the reason the certificate check gives', () => {
    const decision = certificateDecision({ hostname: 'ads.example', fingerprint: null, caTrusted: false, server: null });
    expect(decision).toMatchObject({ accept: false, refusal: 'untrusted' });
    if (decision.accept) return;
    expect(certificateDialogOptions(decision.refusal, 'ads.example', 'de').detail).toBe('Dem Zertifikat von ads.example wird nicht vertraut. Die Verbindung wurde abgelehnt.');
    expect(openExternalDialogOptions('https://example.com/', 'de')).toMatchObject({ buttons: ['Im Browser öffnen', 'Abbrechen'], cancelId: 1, defaultId: 1 });
    expect(fatalText('serverStart', 'port in use', 'de')).toBe('Der eingebaute Server konnte nicht starten.\n\nport in use');
    expect(DIALOG_LOCALES).toEqual(['de', 'en']);
  });
});
