/**
 * Readable audit details: a German and an English label for every key the server writes into an
 * entry's details, and for the entity fields it names in `fields` (changed or set fields). Field
 * names the console's forms already label come from `fields.*` of de.ts/en.ts; the rest are here.
 * renderer/test/audit-detail-texts.test.ts scans server/ for every details key and field name and
 * fails when one has no label in either language. Kept out of de.ts/en.ts like the action texts.
 */
type Labels = Record<string, string>;

export const AUDIT_DETAIL_KEYS: { readonly de: Labels; readonly en: Labels } = {
  de: {
    affectedCustomerId: 'Betroffener Kunde', backupCreatedAt: 'Sicherung vom', bytes: 'Größe', customerId: 'Kunde',
    customerLinked: 'Mit Kunde verknüpft', customers: 'Kunden', deleted: 'Gelöscht', deletedMonths: 'Gelöschte Monate',
    eraseAfter: 'Löschen nach', erasedCustomers: 'Gelöschte Kunden', erasedRequests: 'Gelöschte Anfragen', error: 'Fehler',
    expiredSealedMonths: 'Abgelaufene versiegelte Monate', expiresAt: 'Gültig bis', failedTasks: 'Fehlgeschlagene Aufgaben',
    fields: 'Felder', files: 'Dateien', filters: 'Filter', format: 'Format', frames: 'Abschnitte', framesUnreadable: 'Unlesbare Abschnitte',
    from: 'Von', hadTotp: 'Hatte Zwei-Faktor-Anmeldung', keep: 'Behalten', keyId: 'Schlüssel', keyIds: 'Schlüssel',
    kind: 'Art', left: 'Verbleibende Codes', limit: 'Höchstzahl', now: 'Zeitpunkt', offset: 'Versatz',
    otherSessionsEnded: 'Andere Sitzungen beendet', period: 'Zeitraum', personalData: 'Personenbezogene Daten',
    portalUserId: 'Portal-Zugang', previousKeptForVerification: 'Alter Schlüssel bleibt zur Prüfung', publicKey: 'Öffentlicher Schlüssel',
    reason: 'Begründung', recipient: 'Empfänger', records: 'Einträge', recordsDeleted: 'Gelöschte Einträge', replaced: 'Ersetzt',
    replyId: 'Antwort', requests: 'Anfragen', restrictedAt: 'Eingeschränkt am', retainUntil: 'Aufbewahren bis',
    retentionEnded: 'Aufbewahrung beendet', returned: 'Gefunden', roles: 'Rollen', scheduled: 'Geplant', sealedMonths: 'Versiegelte Monate',
    secondFactor: 'Zweiter Faktor', segments: 'Segmente', segmentsMissing: 'Fehlende Segmente', sessionsEnded: 'Beendete Sitzungen',
    shareholders: 'Freigebende', shares: 'Schlüsselteile', siteId: 'Website/App', status: 'Status', threshold: 'Schwelle',
    to: 'Bis', tornTails: 'Abgebrochene Enden', totpEnrolmentDue: 'Zwei-Faktor-Einrichtung fällig',
    totpRequiredForAll: 'Zwei-Faktor-Anmeldung für alle', truncated: 'Gekürzt', users: 'Konten', via: 'Über', was: 'Vorher',
    with: 'Mit', zoneId: 'Werbefläche',
  },
  en: {
    affectedCustomerId: 'Affected customer', backupCreatedAt: 'Backup of', bytes: 'Size', customerId: 'Customer',
    customerLinked: 'Linked to customer', customers: 'Customers', deleted: 'Deleted', deletedMonths: 'Months deleted',
    eraseAfter: 'Erase after', erasedCustomers: 'Customers erased', erasedRequests: 'Requests erased', error: 'Error',
    expiredSealedMonths: 'Expired sealed months', expiresAt: 'Valid until', failedTasks: 'Failed tasks',
    fields: 'Fields', files: 'Files', filters: 'Filters', format: 'Format', frames: 'Frames', framesUnreadable: 'Unreadable frames',
    from: 'From', hadTotp: 'Had two-factor sign-in', keep: 'Kept', keyId: 'Key', keyIds: 'Keys',
    kind: 'Kind', left: 'Codes left', limit: 'Limit', now: 'Time', offset: 'Offset',
    otherSessionsEnded: 'Other sessions ended', period: 'Period', personalData: 'Personal data',
    portalUserId: 'Portal access', previousKeptForVerification: 'Old key kept for verification', publicKey: 'Public key',
    reason: 'Reason', recipient: 'Recipient', records: 'Records', recordsDeleted: 'Records deleted', replaced: 'Replaced',
    replyId: 'Reply', requests: 'Requests', restrictedAt: 'Restricted on', retainUntil: 'Retain until',
    retentionEnded: 'Retention ended', returned: 'Found', roles: 'Roles', scheduled: 'Scheduled', sealedMonths: 'Sealed months',
    secondFactor: 'Second factor', segments: 'Segments', segmentsMissing: 'Segments missing', sessionsEnded: 'Sessions ended',
    shareholders: 'Approvers', shares: 'Key shares', siteId: 'Site/app', status: 'Status', threshold: 'Threshold',
    to: 'To', tornTails: 'Torn tails', totpEnrolmentDue: 'Two-factor set-up due',
    totpRequiredForAll: 'Two-factor sign-in for everyone', truncated: 'Truncated', users: 'Accounts', via: 'Via', was: 'Before',
    with: 'With', zoneId: 'Zone',
  },
};

/** Entity fields named in `fields` that the forms' `fields.*` texts do not label. */
export const AUDIT_FIELD_EXTRAS: { readonly de: Labels; readonly en: Labels } = {
  de: {
    amount: 'Betrag', archivedAt: 'Archiviert', assetId: 'Bild', contentType: 'Dateityp', copyOf: 'Kopie von', creatives: 'Werbemittel',
    customerId: 'Kunde', effectiveFrom: 'Gültig ab', goal: 'Ziel', model: 'Preismodell', pacing: 'Verteilung', price: 'Preis',
    siteId: 'Website/App', targeting: 'Ausrichtung', zoneIds: 'Werbeflächen',
  },
  en: {
    amount: 'Amount', archivedAt: 'Archived', assetId: 'Image', contentType: 'File type', copyOf: 'Copy of', creatives: 'Creatives',
    customerId: 'Customer', effectiveFrom: 'Effective from', goal: 'Goal', model: 'Pricing model', pacing: 'Pacing', price: 'Price',
    siteId: 'Site/app', targeting: 'Targeting', zoneIds: 'Zones',
  },
};

/** Keys whose values are points in time (ISO text or unix milliseconds). */
const TIME_KEYS = new Set(['backupCreatedAt', 'eraseAfter', 'expiresAt', 'now', 'restrictedAt', 'retainUntil']);

export interface DetailText {
  /** The details' own key, kept for tests and the tooltip. */
  key: string;
  label: string;
  value: string;
}

export interface DetailFormat {
  locale: 'de' | 'en';
  /** The forms' field label (`fields.*`), or null when the console has none. */
  formField(name: string): string | null;
  role(name: string): string | null;
  dateTime(v: string | number): string;
  number(n: number): string;
}

/** One line per detail, in the entry's key order: a label and a readable value (never raw JSON where a label exists). */
export function auditDetailTexts(details: Record<string, unknown>, f: DetailFormat): DetailText[] {
  const keys = AUDIT_DETAIL_KEYS[f.locale];
  const field = (name: string) => f.formField(name) ?? AUDIT_FIELD_EXTRAS[f.locale][name] ?? name;
  const yes = f.locale === 'de' ? 'ja' : 'yes';
  const no = f.locale === 'de' ? 'nein' : 'no';
  const value = (key: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '–';
    if (typeof v === 'boolean') return v ? yes : no;
    if (typeof v === 'number') return TIME_KEYS.has(key) ? f.dateTime(v) : f.number(v);
    if (typeof v === 'string') return TIME_KEYS.has(key) && !Number.isNaN(Date.parse(v)) ? f.dateTime(v) : v;
    if (Array.isArray(v)) {
      if (key === 'fields') return v.map((x) => field(String(x))).join(', ');
      if (key === 'roles') return v.map((x) => f.role(String(x)) ?? String(x)).join(', ');
      return v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : value('', x))).join(', ');
    }
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${keys[k] ?? field(k)}: ${value(k, x)}`)
      .join('; ');
  };
  return Object.entries(details).map(([key, v]) => ({ key, label: keys[key] ?? key, value: value(key, v) }));
}
