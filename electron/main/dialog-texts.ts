import type { CaseView } from '../../common/schemas/cases';
import { caseKeyFingerprint } from '../../node/case-approval';

// The desktop app's own words (native dialogs and the menu), in the console's language: the page
// says which one over App:setLocale; before it does, the operating system's language decides.

export const DIALOG_LOCALES = ['de', 'en'] as const;
export type DialogLocale = (typeof DIALOG_LOCALES)[number];

/** The console's choice when it made one, else German for a German system and English otherwise. */
export function dialogLocale(chosen: DialogLocale | null, osLocale: string): DialogLocale {
  return chosen ?? (osLocale.toLowerCase().startsWith('de') ? 'de' : 'en');
}

/** Why the app stops at start: the fatal error box names one of these. */
export type FatalCause = 'electron' | 'serverStart' | 'serverStopped';

/** Why a certificate was refused (electron/main/certificate-pinning.ts). */
export type CertificateRefusal = 'changed' | 'untrusted';

interface DialogTexts {
  approve: { title: string; message: string; approve: string; cancel: string };
  caseSummary: {
    caseLine: (id: string, status: string) => string;
    openedBy: string; at: string; reason: string; window: string; to: string; filters: string; noFilters: string;
    affected: string; involvementRecorded: string; involvementMissing: string; approvals: string; of: string; noKey: string;
    caseKey: string; fingerprint: string; notice: string; statuses: Record<CaseView['status'], string>;
  };
  openExternal: { message: string; open: string; cancel: string };
  certificate: { message: string; ok: string; changed: (host: string) => string; untrusted: (host: string) => string };
  fatal: Record<FatalCause, string>;
  menu: { file: string; view: string; connection: string };
}

const TEXTS: Record<DialogLocale, DialogTexts> = {
  de: {
    approve: { title: 'Entsiegelung freigeben', message: 'Die Entsiegelung der Zugriffsprotokolle dieses Falls freigeben?', approve: 'Freigeben', cancel: 'Abbrechen' },
    caseSummary: {
      caseLine: (id, status) => `Fall ${id} (${status})`,
      openedBy: 'Angelegt von', at: 'am', reason: 'Begründung', window: 'Zeitraum', to: 'bis', filters: 'Filter', noFilters: 'keine (alle Einträge im Zeitraum)',
      affected: 'Betroffener Kunde', involvementRecorded: '(Beteiligung vermerkt)', involvementMissing: '(Beteiligung noch nicht vermerkt)',
      approvals: 'Bisherige Freigaben', of: 'von', noKey: 'kein Schlüssel deckt diesen Zeitraum ab',
      caseKey: 'Fallschlüssel', fingerprint: 'Fingerabdruck des Fallschlüssels', notice: 'Hinweis',
      statuses: { awaiting_approval: 'wartet auf Freigabe', unsealing: 'wird entsiegelt', ready: 'bereit', closed: 'geschlossen', expired: 'abgelaufen' },
    },
    openExternal: { message: 'Diesen Link im Webbrowser öffnen?', open: 'Im Browser öffnen', cancel: 'Abbrechen' },
    certificate: {
      message: 'Verbindung abgelehnt',
      ok: 'OK',
      changed: (host) =>
        `Der Server ${host} hat ein anderes Zertifikat vorgelegt als das, das Sie bestätigt haben. Die Verbindung wurde abgelehnt. ` +
        'Hat Ihre Agentur das Zertifikat ersetzt, wählen Sie im Menü „Verbindung …“ und bestätigen den neuen Fingerabdruck; sonst informieren Sie Ihre IT.',
      untrusted: (host) => `Dem Zertifikat von ${host} wird nicht vertraut. Die Verbindung wurde abgelehnt.`,
    },
    fatal: {
      electron: 'Die Desktop-App konnte nicht starten',
      serverStart: 'Der eingebaute Server konnte nicht starten',
      serverStopped: 'Der eingebaute Server wurde unerwartet beendet',
    },
    menu: { file: 'Datei', view: 'Ansicht', connection: 'Verbindung …' },
  },
  en: {
    approve: { title: 'Approve unsealing', message: 'Approve unsealing the access logs of this case?', approve: 'Approve', cancel: 'Cancel' },
    caseSummary: {
      caseLine: (id, status) => `Case ${id} (${status})`,
      openedBy: 'Opened by', at: 'at', reason: 'Reason', window: 'Window', to: 'to', filters: 'Filters', noFilters: 'none (every record in the window)',
      affected: 'Affected customer', involvementRecorded: '(involvement recorded)', involvementMissing: '(involvement not yet recorded)',
      approvals: 'Approvals so far', of: 'of', noKey: 'no key covers this window',
      caseKey: 'Case key', fingerprint: 'Case key fingerprint', notice: 'Notice',
      statuses: { awaiting_approval: 'awaiting approval', unsealing: 'unsealing', ready: 'ready', closed: 'closed', expired: 'expired' },
    },
    openExternal: { message: 'Open this link in your web browser?', open: 'Open in browser', cancel: 'Cancel' },
    certificate: {
      message: 'Connection refused',
      ok: 'OK',
      changed: (host) =>
        `The server ${host} presented a different certificate than the one you confirmed. The connection was refused. ` +
        'If your agency replaced the certificate, choose "Connection…" in the menu and confirm the new fingerprint; otherwise tell your IT.',
      untrusted: (host) => `The certificate of ${host} is not trusted. The connection was refused.`,
    },
    fatal: {
      electron: 'The desktop app did not start',
      serverStart: 'The embedded server did not start',
      serverStopped: 'The embedded server stopped unexpectedly',
    },
    menu: { file: 'File', view: 'View', connection: 'Connection…' },
  },
};

/** The texts of one language. */
export function dialogTexts(locale: DialogLocale): DialogTexts {
  return TEXTS[locale];
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The case as the approver reads it before approving, in their language (the CLI's English one is node/case-approval.ts describeCase). */
export function describeCaseIn(view: CaseView, locale: DialogLocale): string {
  const w = TEXTS[locale].caseSummary;
  const filters = Object.entries(view.filters ?? {}).filter(([, v]) => v !== undefined && v !== '');
  const opened = view.openedBy ? `${oneLine(view.openedBy.name)} <${oneLine(view.openedBy.email)}>` : view.createdBy;
  const lines = [
    w.caseLine(view.id, w.statuses[view.status] ?? view.status),
    `${w.openedBy}: ${opened} ${w.at} ${view.createdAt}`,
    `${w.reason}: ${oneLine(view.reason)}`,
    `${w.window}: ${view.window.from} ${w.to} ${view.window.to}`,
    `${w.filters}: ${filters.length ? filters.map(([k, v]) => `${k}=${oneLine(String(v))}`).join(', ') : w.noFilters}`,
  ];
  if (view.affectedCustomerId) lines.push(`${w.affected}: ${view.affectedCustomerId} ${view.customerInvolvement ? w.involvementRecorded : w.involvementMissing}`);
  lines.push(`${w.approvals}: ${view.keys.length ? view.keys.map((k) => `${k.keyId}: ${k.approvals} ${w.of} ${k.threshold}`).join(', ') : w.noKey}`);
  if (view.casePublicKey) lines.push(`${w.caseKey}: ${view.casePublicKey}`, `${w.fingerprint}: ${caseKeyFingerprint(view.casePublicKey)}`);
  if (view.notice) lines.push(`${w.notice}: ${oneLine(view.notice)}`);
  return lines.join('\n');
}

/** Options of the native "approve this case?" dialog: Approve or Cancel, Cancel by default (Enter and Escape cancel). */
export function approvalDialogOptions(summary: string, locale: DialogLocale = 'en') {
  const w = TEXTS[locale].approve;
  return {
    type: 'question' as const,
    buttons: [w.approve, w.cancel],
    defaultId: 1,
    cancelId: 1,
    noLink: true as const,
    title: w.title,
    message: w.message,
    // The summary holds what the server reported (reason, names); cut it so that it cannot flood the dialog.
    detail: summary.slice(0, 2000),
  };
}

/** Whether the approval dialog's answer was "Approve". */
export const approvedByDialog = (response: number): boolean => response === 0;

/** Options of the "open this link in the browser?" question; Cancel by default. */
export function openExternalDialogOptions(url: string, locale: DialogLocale) {
  const w = TEXTS[locale].openExternal;
  return { type: 'question' as const, buttons: [w.open, w.cancel], defaultId: 1, cancelId: 1, message: w.message, detail: url };
}

/** Options of the warning shown once per host and certificate when a connection was refused. */
export function certificateDialogOptions(refusal: CertificateRefusal, hostname: string, locale: DialogLocale) {
  const w = TEXTS[locale].certificate;
  return { type: 'warning' as const, title: 'Creative Engine', message: w.message, detail: w[refusal](hostname), buttons: [w.ok] };
}

/** The text of the error box shown before the app quits at start. */
export function fatalText(cause: FatalCause, detail: string, locale: DialogLocale): string {
  return `${TEXTS[locale].fatal[cause]}.\n\n${detail}`;
}
