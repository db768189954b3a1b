import type { PageLang } from './page-paths';

/**
 * The texts the public pages show while the operator has not put their own files into
 * `<dataDir>/pages/` (see page-files.ts). They are Markdown of the safe subset (markdown.ts) and
 * describe what this server really does (DESIGN.md's privacy rules); every part only the operator
 * can know is marked `[[…]]` in bold, and the privacy and imprint templates are headlined as
 * templates so nobody mistakes them for a finished statement.
 */

const PRIVACY_DE = `# Datenschutzerklärung (Vorlage)

Stand: **[[Datum eintragen]]**

## 1. Verantwortlicher

**[[Betreiber: Name bzw. Firma, Anschrift, E-Mail-Adresse, Telefon]]**

## 2. Datenschutzbeauftragte(r)

**[[Name oder Stelle und Kontaktadresse der bzw. des Datenschutzbeauftragten – oder streichen, wenn keine Benennungspflicht besteht]]**

## 3. Worum es geht

Wir betreiben eine Plattform, die im Auftrag unserer Kunden (Werbetreibende und Publisher) Werbemittel auf Websites und in Apps ausliefert. Sie läuft auf Servern in der EU (**[[Standort und Hosting-Anbieter eintragen]]**). Diese Seiten, das Kundenkonto und die Werbemittel laden nichts von Dritten: keine CDNs, keine Web-Fonts, keine Analysedienste.

## 4. Auslieferung von Werbung

### Zugriffsprotokoll

Bei jedem Abruf an unseren Auslieferungsserver (Ad-Tag, Anzeige, Zählung einer Einblendung oder eines Klicks) protokollieren wir: IP-Adresse, Zeitpunkt, aufgerufene URL, HTTP-Status, übertragene Datenmenge sowie – wenn der Browser sie sendet – Referrer und User-Agent. Mehr nicht.

- **Zweck:** Sicherheit des Dienstes und Aufklärung von Missbrauch (z. B. Klickbetrug, Angriffe).
- **Rechtsgrundlage:** Art. 6 Abs. 1 lit. f DSGVO (berechtigtes Interesse an einem sicheren, missbrauchsfreien Betrieb).
- **Schutz:** Das Protokoll wird nur verschlüsselt („versiegelt“) geschrieben und getrennt von den Statistiken gespeichert; der Auslieferungsserver selbst kann es nicht lesen. Entschlüsselt wird es nur bei einem konkreten Missbrauchsverdacht in einem dokumentierten Verfahren, dem Geschäftsleitung und Datenschutzbeauftragte(r) zustimmen müssen. Sichtbar werden dann nur die Einträge im Zeitraum und mit den Merkmalen des Falls; jeder Schritt wird protokolliert.
- **Speicherdauer:** Die Protokolle werden spätestens drei Monate nach Ende des Kalendermonats gelöscht, in dem sie entstanden sind.

### Statistiken

Wir zählen, wann welches Werbemittel auf welcher Website oder App ausgeliefert, eingeblendet und angeklickt wurde, zusammengefasst je Stunde und Land. Das Land ermitteln wir bei der Auslieferung aus der IP-Adresse anhand einer Länder-Tabelle im Arbeitsspeicher; danach wird die Adresse für diesen Zweck verworfen, gespeichert wird nur der zweibuchstabige Ländercode. Wo eine Statistik überhaupt eine IP-Adresse enthält, ist sie gekürzt (IPv4: letztes Oktett genullt, also /24; IPv6: nur die ersten 48 Bit). Die Statistiken lassen keinen Schluss auf einzelne Personen zu.

### Reichweite und Kontaktbegrenzung (falls eingeschaltet)

**[[Nur wenn Reichweitenmessung (\`--reach\`) oder ein Limit pro Besucher und Tag genutzt wird – sonst diesen Abschnitt löschen]]** Um zu zählen, wie viele verschiedene Besucher eine Kampagne an einem Tag erreicht hat, und um eine Werbung einem Besucher höchstens so oft am Tag zu zeigen, wie der Werbetreibende es festgelegt hat, bilden wir aus IP-Adresse, Browserkennung (User-Agent) und Website einen Hashwert (HMAC-SHA-256) mit einem zufälligen Schlüssel. Der Schlüssel existiert nur im Arbeitsspeicher des Servers, wird nie gespeichert und jeden Tag um 0 Uhr UTC durch einen neuen ersetzt; der alte wird gelöscht. Ein Hashwert von gestern passt daher heute zu nichts mehr. Gespeichert wird weder die Adresse noch der Hashwert: für die Reichweite nur eine statistische Zusammenfassung (HyperLogLog-Register, aus der sich kein Besucher zurückgewinnen lässt), für das Limit nur ein Zähler im Arbeitsspeicher, der mit dem Schlüssel täglich gelöscht wird. Cookies oder andere auf Ihrem Gerät gespeicherte Kennungen werden dafür nicht verwendet.

### Keine Cookies, kein Profiling

Die Auslieferung setzt und liest keine Cookies und keine vergleichbaren Kennungen. Welche Werbung erscheint, richtet sich nur nach dem Umfeld (Werbefläche, Website oder App, Stichwörter, Geräteklasse, Tageszeit, Land) – nie nach einem Profil einer Person. Es gibt keine automatisierte Entscheidung im Sinne von Art. 22 DSGVO.

## 5. Kontaktformular und Anfragen zu Ihren Daten

Wenn Sie uns über das [Kontaktformular](/kontakt) schreiben, speichern wir Ihren Namen, Ihre E-Mail-Adresse, Ihre Nachricht und die Art der Anfrage – verschlüsselt. Gegen massenhafte Absendungen zählen wir Nachrichten je gekürzter Netzadresse (/24) kurzzeitig im Arbeitsspeicher; die Adresse selbst wird dafür nicht gespeichert.

- **Zweck:** Bearbeitung Ihrer Anfrage. **Rechtsgrundlage:** Art. 6 Abs. 1 lit. c DSGVO für Anfragen zu Ihren Rechten, sonst Art. 6 Abs. 1 lit. f DSGVO.
- **Weiterleitung:** Betrifft Ihre Anfrage eine Verarbeitung, die wir für einen unserer Kunden durchführen, leiten wir sie an diesen Kunden weiter. Der Kunde liest sie verschlüsselt in seinem Kundenkonto; die E-Mail, die ihn benachrichtigt, enthält keine personenbezogenen Daten.
- **Frist:** Wir antworten innerhalb eines Monats (Art. 12 Abs. 3 DSGVO).
- **Speicherdauer:** Ist die Anfrage erledigt, löschen wir ihre personenbezogenen Daten. Verlangt ein Gesetz, sie aufzubewahren, sperren wir sie stattdessen bis zum Ende der Frist und löschen sie dann.

## 6. Kundenkonten

Für unsere Kunden führen wir ein Kundenkonto mit ihren Kontakt- und Kampagnendaten (Rechtsgrundlage: Art. 6 Abs. 1 lit. b DSGVO, Vertrag). Personenbezogene Angaben sind verschlüsselt gespeichert. Kunden sehen ihre Daten im Kundenkonto jederzeit, berichtigen sie dort und können sie als Datei herunterladen.

- **Anmeldung:** Das Kundenkonto setzt bei der Anmeldung ein Cookie, das nur eine zufällige Sitzungskennung enthält (HttpOnly, SameSite=Strict, über HTTPS nur verschlüsselt übertragen) und beim Abmelden auf beiden Seiten gelöscht wird. Es ist technisch notwendig (§ 25 Abs. 2 Nr. 2 TDDDG). Passwörter speichern wir nur als Hash; Anmeldeversuche werden begrenzt; eine Zwei-Faktor-Anmeldung mit Einmalcodes (TOTP) kann eingeschaltet werden.
- **Einladungen:** Neue Nutzer eines Kundenkontos erhalten einen einmal verwendbaren Link (7 Tage gültig), den wir nur als Hash speichern.
- **Löschung:** Verlangt ein Kunde die Löschung, wird das Konto sofort gesperrt (keine Auslieferung, keine weitere Verarbeitung) und nach Ablauf der gesetzlichen Aufbewahrungsfristen (Handels- und Steuerrecht, § 257 HGB, § 147 AO: sechs bzw. zehn Jahre) automatisch gelöscht.

## 7. Sicherheit und Sicherungskopien

Personenbezogene Daten sind verschlüsselt gespeichert; Mitarbeiter erhalten nur die Rechte, die ihre Rolle braucht; Änderungen werden in einem manipulationssicheren Protokoll festgehalten. Sicherungskopien sind verschlüsselt und werden **[[Ort und Aufbewahrungsdauer der Sicherungskopien eintragen]]** aufbewahrt.

## 8. Empfänger

Wir geben personenbezogene Daten nur weiter an: den betroffenen Kunden bei weitergeleiteten Anfragen (siehe 5.) sowie **[[Auftragsverarbeiter eintragen, z. B. Hosting-Anbieter, E-Mail-Versand]]**. Eine Übermittlung in Länder außerhalb der EU findet nicht statt.

## 9. Ihre Rechte

Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) und Widerspruch gegen die Verarbeitung (Art. 21); wer Daten von uns erhalten hat, erfährt von einer Berichtigung, Löschung oder Einschränkung (Art. 19). Schreiben Sie uns dazu über das [Kontaktformular](/kontakt) oder an **[[E-Mail-Adresse für Datenschutzanfragen]]**.

Sie können sich außerdem bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO), zum Beispiel bei der für uns zuständigen: **[[Name und Anschrift der zuständigen Aufsichtsbehörde]]**.
`;

const PRIVACY_EN = `# Privacy statement (template)

Last updated: **[[enter date]]**

## 1. Controller

**[[Operator: name or company, postal address, e-mail address, telephone]]**

## 2. Data protection officer

**[[Name or office and contact address of the data protection officer – or delete if none must be appointed]]**

## 3. What this is about

We run a platform that delivers advertising to websites and apps on behalf of our customers (advertisers and publishers). It runs on servers in the EU (**[[enter location and hosting provider]]**). These pages, the customer account and the ads load nothing from third parties: no CDNs, no web fonts, no analytics.

## 4. Ad delivery

### Access log

For every request to our delivery server (ad tag, ad, counting an impression or a click) we log: IP address, time, requested URL, HTTP status, bytes sent and – when the browser sends them – referrer and user agent. Nothing more.

- **Purpose:** security of the service and investigating abuse (e.g. click fraud, attacks).
- **Legal basis:** Art. 6(1)(f) GDPR (legitimate interest in a secure service free of abuse).
- **Protection:** the log is only ever written encrypted ("sealed") and stored apart from the statistics; the delivery server itself cannot read it. It is decrypted only for a concrete suspicion of abuse, in a documented procedure that management and the data protection officer must both approve. Only the entries within the case's time window and criteria become visible; every step is recorded.
- **Retention:** the logs are deleted at the latest three months after the end of the calendar month in which they were written.

### Statistics

We count when which ad was delivered, shown and clicked on which website or app, summed per hour and country. The country is looked up from the IP address at delivery time in an in-memory country table; the address is then dropped for this purpose, and only the two-letter country code is stored. Where a statistic holds an IP address at all, it is shortened (IPv4: last octet zeroed, i.e. /24; IPv6: only the first 48 bits). The statistics do not identify anyone.

### Reach and frequency caps (if enabled)

**[[Only if reach measurement (\`--reach\`) or a cap per visitor and day is used – otherwise delete this section]]** To count how many different visitors a campaign reached on a day, and to show an ad to a visitor at most as often per day as the advertiser set, we compute a hash (HMAC-SHA-256) of the IP address, the browser identification (user agent) and the website with a random key. The key exists only in the server's memory, is never stored, and is replaced by a new one every day at 00:00 UTC; the old one is erased. A hash from yesterday therefore matches nothing today. Neither the address nor the hash is stored: for reach only a statistical summary (HyperLogLog registers, from which no visitor can be recovered), for the cap only a counter in memory that is erased with the key every day. No cookies or other identifiers stored on your device are used for this.

### No cookies, no profiling

Ad delivery sets and reads no cookies and no similar identifiers. Which ad appears depends only on the context (placement, website or app, keywords, device class, time of day, country) – never on a profile of a person. There is no automated decision-making within the meaning of Art. 22 GDPR.

## 5. Contact form and requests about your data

When you write to us through the [contact form](/contact), we store your name, e-mail address, message and the kind of request – encrypted. To stop mass submissions we count messages per shortened network address (/24) for a short time in memory; the address itself is not stored for this.

- **Purpose:** handling your request. **Legal basis:** Art. 6(1)(c) GDPR for requests about your rights, otherwise Art. 6(1)(f) GDPR.
- **Forwarding:** if your request concerns processing we carry out for one of our customers, we forward it to that customer. The customer reads it encrypted in their customer account; the e-mail telling them about it contains no personal data.
- **Deadline:** we answer within one month (Art. 12(3) GDPR).
- **Retention:** once your request is dealt with, we delete its personal data. Where a law requires us to keep them, we restrict them instead until that period ends and then delete them.

## 6. Customer accounts

For our customers we keep a customer account with their contact and campaign data (legal basis: Art. 6(1)(b) GDPR, contract). Personal details are stored encrypted. Customers see their data in their account at any time, correct it there and can download it as a file.

- **Sign-in:** signing in to the customer account sets a cookie that holds only a random session id (HttpOnly, SameSite=Strict, sent over HTTPS only) and is deleted on both sides at sign-out. It is strictly necessary (§ 25(2) no. 2 TDDDG). Passwords are stored only as hashes; sign-in attempts are throttled; two-factor sign-in with one-time codes (TOTP) can be turned on.
- **Invitations:** new users of a customer account receive a single-use link (valid for 7 days) that we store only as a hash.
- **Deletion:** when a customer asks for deletion, the account is locked at once (no delivery, no further processing) and erased automatically when the statutory retention periods end (commercial and tax law, § 257 HGB, § 147 AO: six or ten years).

## 7. Security and backups

Personal data are stored encrypted; staff get only the rights their role needs; changes are recorded in a tamper-evident log. Backups are encrypted and kept **[[enter where backups are kept and for how long]]**.

## 8. Recipients

We pass personal data only to: the customer concerned by a forwarded request (see 5.) and **[[enter processors, e.g. hosting provider, e-mail delivery]]**. No data are transferred to countries outside the EU.

## 9. Your rights

You have the right of access (Art. 15 GDPR), rectification (Art. 16), erasure (Art. 17), restriction of processing (Art. 18), data portability (Art. 20) and to object to processing (Art. 21); recipients of your data are told of a rectification, erasure or restriction (Art. 19). Write to us through the [contact form](/contact) or to **[[e-mail address for privacy requests]]**.

You may also lodge a complaint with a data protection supervisory authority (Art. 77 GDPR), for example the one responsible for us: **[[name and address of the competent supervisory authority]]**.
`;

const IMPRINT_DE = `# Impressum (Vorlage)

**Diese Seite ist noch nicht ausgefüllt.** Der Betreiber muss hier die Pflichtangaben nach § 5 DDG (Digitale-Dienste-Gesetz, früher § 5 TMG) hinterlegen, leicht erkennbar und ständig verfügbar:

- **[[Name bzw. Firma, Rechtsform, vertretungsberechtigte Personen]]**
- **[[Anschrift (kein Postfach)]]**
- **[[E-Mail-Adresse und Telefonnummer]]**
- **[[Registergericht und Registernummer, falls eingetragen]]**
- **[[Umsatzsteuer-Identifikationsnummer nach § 27a UStG, falls vorhanden]]**
- **[[Verantwortlich für journalistisch-redaktionelle Inhalte nach § 18 Abs. 2 MStV, falls zutreffend]]**
`;

const IMPRINT_EN = `# Imprint (template)

**This page has not been filled in yet.** The operator must publish the legal notice required by § 5 DDG (German Digital Services Act, formerly § 5 TMG) here, easy to find and always available:

- **[[Name or company, legal form, authorised representatives]]**
- **[[Postal address (no P.O. box)]]**
- **[[E-mail address and telephone number]]**
- **[[Register court and registration number, if registered]]**
- **[[VAT identification number under § 27a UStG, if any]]**
- **[[Person responsible for editorial content under § 18(2) MStV, if applicable]]**
`;

const CONTACT_DE = `# Kontakt

Schreiben Sie uns. Möchten Sie Auskunft über Ihre Daten, eine Berichtigung, Löschung oder Einschränkung, Ihre Daten zur Übertragung oder einer Verarbeitung widersprechen, wählen Sie bitte die passende Art der Anfrage. Wir antworten innerhalb eines Monats.

Wie wir Ihre Angaben verarbeiten, lesen Sie in der [Datenschutzerklärung](/datenschutz).
`;

const CONTACT_EN = `# Contact

Write to us. If you would like access to your data, a rectification, erasure or restriction, your data for portability, or to object to processing, please choose the matching kind of request. We answer within one month.

How we process what you send us is described in the [privacy statement](/privacy).
`;

/** The default Markdown of each page per language. */
export const DEFAULT_PAGES: Record<'privacy' | 'imprint' | 'contact', Record<PageLang, string>> = {
  privacy: { de: PRIVACY_DE, en: PRIVACY_EN },
  imprint: { de: IMPRINT_DE, en: IMPRINT_EN },
  contact: { de: CONTACT_DE, en: CONTACT_EN },
};
