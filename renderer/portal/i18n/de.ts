// German, the portal's default language. en.ts mirrors this shape (checked by the type below).
// Message syntax: {name} interpolates; a literal @, {, }, | or $ must be written as {'@'} etc.
import { de as consoleDe } from '../../src/i18n/de';
import { sharedSections } from './shared';

const shared = sharedSections(consoleDe);

export const de = {
  ...shared,
  // The portal's own texts for errors whose console text speaks to staff.
  errors: {
    ...shared.errors,
    client_error: 'Im Kundenportal ist ein Fehler aufgetreten. Bitte die Seite neu laden.',
    forbidden: 'Diese Aktion ist für Ihr Konto nicht möglich.',
    network: 'Der Server ist nicht erreichbar. Bitte später erneut versuchen.',
  },
  portal: {
    name: 'Kundenportal',
    nav: {
      label: 'Hauptnavigation', overview: 'Übersicht', campaigns: 'Kampagnen', creatives: 'Werbemittel', sites: 'Websites & Werbeflächen',
      requests: 'Anfragen', account: 'Meine Daten', security: 'Kontosicherheit',
    },
    signIn: {
      title: 'Anmelden', intro: 'Melden Sie sich mit der E-Mail-Adresse und dem Passwort Ihres Kundenkontos an.',
      disabled: 'Dieser Zugang ist gesperrt. Bitte wenden Sie sich an Ihre Agentur.',
      noAccount: 'Noch kein Zugang? Ihre Agentur lädt Sie per Einladungslink ein.',
      deletionRequested: 'Die Löschung Ihres Kundenkontos ist beantragt. Das Konto ist ab sofort gesperrt und wird gelöscht, sobald die gesetzlichen Aufbewahrungsfristen enden. Sie wurden abgemeldet.',
      expired: 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
    },
    invite: {
      title: 'Einladung annehmen', intro: 'Sie wurden in das Kundenportal von {customer} eingeladen. Legen Sie ein Passwort fest, um Ihren Zugang einzurichten.',
      validUntil: 'Gültig bis', password: 'Neues Passwort', passwordHint: 'Mindestens {n} Zeichen.', repeat: 'Passwort wiederholen',
      mismatch: 'Die Passwörter stimmen nicht überein.', submit: 'Passwort festlegen und anmelden', toSignIn: 'Zur Anmeldung',
    },
    overview: {
      title: 'Übersicht', welcome: 'Willkommen im Kundenportal von {customer}.', active: 'Aktive Kampagnen: {n}', last7Days: 'Letzte 7 Tage',
    },
    campaigns: { title: 'Kampagnen', detailTitle: 'Kampagne', empty: 'Keine Kampagnen.', facts: 'Eckdaten' },
    creatives: { title: 'Werbemittel', empty: 'Keine Werbemittel.' },
    sites: {
      title: 'Websites & Werbeflächen', intro: 'Ihre Websites und Apps mit den Werbeflächen und dem Code, den Sie dort einbinden.',
      empty: 'Keine Websites oder Apps (nur für Publisher).',
    },
    account: {
      title: 'Meine Daten', intro: 'Die Kontaktdaten, die wir zu Ihrem Kundenkonto speichern. Sie können sie jederzeit berichtigen, exportieren oder die Löschung beantragen.',
      contact: 'Kontaktdaten', correct: 'Berichtigen', company: 'Firma', saved: 'Ihre Daten wurden berichtigt.',
      exportTitle: 'Datenexport', exportText: 'Alle Daten Ihres Kundenkontos als JSON-Datei (Datenübertragbarkeit).', export: 'Daten herunterladen (JSON)',
      exported: 'Export heruntergeladen.', deletionTitle: 'Löschung beantragen',
      deletionIntro: 'Sie können die Löschung Ihres Kundenkontos beantragen.',
      deletionText: 'Ihr Konto wird sofort gesperrt: keine Auslieferung, keine weitere Verarbeitung, keine Anmeldung mehr im Portal. Gelöscht wird es, sobald die gesetzlichen Aufbewahrungsfristen enden. Dies kann nicht rückgängig gemacht werden.',
      requestDeletion: 'Löschung beantragen…', deletionConfirm: 'Ja, Konto sperren und Löschung beantragen', restrictedSince: 'Gesperrt seit {at} (Löschung beantragt).',
    },
    requests: {
      title: 'Anfragen', detailTitle: 'Anfrage', intro: 'Anfragen betroffener Personen, die Ihre Agentur an Sie weitergeleitet hat. Bitte beantworten Sie sie vor der Frist.',
      empty: 'Keine weitergeleiteten Anfragen.', yourStatus: 'Ihr Stand', forwardedAt: 'Weitergeleitet', replies: 'Antworten', facts: 'Angaben',
      statuses: { new: 'neu', in_progress: 'in Bearbeitung', done: 'erledigt' }, noReplies: 'Noch keine Antworten.',
      author: { customer: 'Ihre Antwort', staff: 'Agentur' }, yourReply: 'Ihre Antwort', replyHint: 'Die Antwort wird verschlüsselt gespeichert und erreicht Ihre Agentur.',
      send: 'Antwort senden', replySent: 'Antwort gesendet.', statusSaved: 'Stand gespeichert.', changeStatus: 'Stand ändern',
      closed: 'Die Agentur hat diese Anfrage abgeschlossen; Antworten sind nicht mehr möglich.', 
      mark: { in_progress: 'In Bearbeitung', done: 'Erledigt' },
    },
    security: {
      title: 'Kontosicherheit', passwordTitle: 'Passwort ändern', passwordIntro: 'Andere Sitzungen werden dabei abgemeldet.',
      currentPassword: 'Aktuelles Passwort', newPassword: 'Neues Passwort', changePassword: 'Passwort ändern', passwordChanged: 'Passwort geändert.',
      totpIntro: 'Freiwillig: Mit einer Authenticator-App (z. B. Aegis, FreeOTP, Google Authenticator) schützt ein zweiter, wechselnder Code Ihr Konto, auch wenn jemand Ihr Passwort kennt.',
      wrongPassword: 'Das eingegebene Passwort ist falsch.', uri: 'Einrichtungs-URI als Text',
    },
    footer: { label: 'Rechtliches', privacy: 'Datenschutz', imprint: 'Impressum', contact: 'Kontakt' },
    notFound: { title: 'Seite nicht gefunden', text: 'Diese Seite gibt es nicht.', back: 'Zur Übersicht' },
  },
};

export type Messages = typeof de;
