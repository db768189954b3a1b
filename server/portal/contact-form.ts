import { REQUEST_KINDS, type RequestKind } from '../../common/schemas/requests';
import { escapeHtml } from './markdown';
import { PAGE_PATHS, type PageLang } from './page-paths';

/** The fields of the HTML contact form (the JSON API's names, so both reach the same validation). */
export const FORM_FIELDS = ['kind', 'name', 'email', 'message', 'customerId'] as const;
export type FormField = (typeof FORM_FIELDS)[number];
export type FormValues = Partial<Record<FormField, string>>;

/** Name of the hidden field holding the form token, and of the honeypot field people never see. */
export const TOKEN_FIELD = 'token';
export const HONEYPOT_FIELD = 'website';

/** What the page says above the form after a post. */
export type FormOutcome =
  | { kind: 'fields'; errors: Partial<Record<FormField, true>> }
  | { kind: 'expired' | 'invalid_token' | 'honeypot' | 'too_large' | 'media_type' | 'cross_site' }
  | { kind: 'rate_limited'; minutes: number };

const TEXTS = {
  de: {
    kinds: {
      contact: 'Allgemeine Anfrage',
      access: 'Auskunft über meine Daten (Art. 15 DSGVO)',
      rectification: 'Berichtigung (Art. 16 DSGVO)',
      erasure: 'Löschung (Art. 17 DSGVO)',
      restriction: 'Einschränkung der Verarbeitung (Art. 18 DSGVO)',
      portability: 'Datenübertragbarkeit (Art. 20 DSGVO)',
      objection: 'Widerspruch (Art. 21 DSGVO)',
    } satisfies Record<RequestKind, string>,
    labels: { kind: 'Art der Anfrage', name: 'Name', email: 'E-Mail-Adresse', message: 'Nachricht', customerId: 'Kunde' },
    honeypot: 'Bitte leer lassen',
    send: 'Absenden',
    fieldErrors: {
      kind: 'Bitte wählen Sie eine Art der Anfrage.',
      name: 'Bitte geben Sie Ihren Namen an (höchstens 200 Zeichen).',
      email: 'Bitte geben Sie eine gültige E-Mail-Adresse an.',
      message: 'Bitte schreiben Sie Ihre Nachricht (höchstens 5000 Zeichen).',
      customerId: 'Der Verweis auf einen Kunden ist ungültig; bitte öffnen Sie das Formular erneut über den Link, der Sie hergeführt hat.',
    } satisfies Record<FormField, string>,
    outcome: {
      fields: 'Bitte prüfen Sie die markierten Angaben.',
      expired: 'Das Formular ist abgelaufen. Bitte prüfen Sie Ihre Angaben und senden Sie es erneut.',
      invalid_token: 'Das Formular war ungültig. Bitte prüfen Sie Ihre Angaben und senden Sie es erneut.',
      honeypot: 'Ihre Nachricht konnte nicht gesendet werden.',
      too_large: 'Die Nachricht ist zu groß. Bitte kürzen Sie sie.',
      media_type: 'Das Formular kam in einer unbekannten Form an. Bitte senden Sie es über diese Seite.',
      cross_site: 'Das Formular kann nur von dieser Seite aus gesendet werden.',
      rate_limited: (minutes: number) => `Aus Ihrem Netz kamen zu viele Nachrichten. Bitte versuchen Sie es in ${minutes} ${minutes === 1 ? 'Minute' : 'Minuten'} erneut.`,
    },
    success: (id: string) =>
      `<h1>Vielen Dank</h1>\n<p class="notice success" role="status">Ihre Anfrage ist eingegangen. Ihre Vorgangsnummer: <code>${escapeHtml(id)}</code></p>\n<p>Wir antworten innerhalb eines Monats (Art. 12 Abs. 3 DSGVO) an die angegebene E-Mail-Adresse.</p>\n<p><a href="${PAGE_PATHS.contact.de}">Weitere Nachricht schreiben</a></p>`,
    required: 'Pflichtfeld',
  },
  en: {
    kinds: {
      contact: 'General enquiry',
      access: 'Access to my data (Art. 15 GDPR)',
      rectification: 'Rectification (Art. 16 GDPR)',
      erasure: 'Erasure (Art. 17 GDPR)',
      restriction: 'Restriction of processing (Art. 18 GDPR)',
      portability: 'Data portability (Art. 20 GDPR)',
      objection: 'Objection (Art. 21 GDPR)',
    } satisfies Record<RequestKind, string>,
    labels: { kind: 'Kind of request', name: 'Name', email: 'E-mail address', message: 'Message', customerId: 'Customer' },
    honeypot: 'Leave this empty',
    send: 'Send',
    fieldErrors: {
      kind: 'Please choose a kind of request.',
      name: 'Please enter your name (at most 200 characters).',
      email: 'Please enter a valid e-mail address.',
      message: 'Please write your message (at most 5,000 characters).',
      customerId: 'The reference to a customer is not valid; please open the form again through the link that brought you here.',
    } satisfies Record<FormField, string>,
    outcome: {
      fields: 'Please check the marked fields.',
      expired: 'The form has expired. Please check your entries and send it again.',
      invalid_token: 'The form was not valid. Please check your entries and send it again.',
      honeypot: 'Your message could not be sent.',
      too_large: 'The message is too large. Please shorten it.',
      media_type: 'The form arrived in an unknown format. Please send it from this page.',
      cross_site: 'The form can only be sent from this page.',
      rate_limited: (minutes: number) => `Too many messages came from your network. Please try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
    },
    success: (id: string) =>
      `<h1>Thank you</h1>\n<p class="notice success" role="status">Your request has arrived. Its reference: <code>${escapeHtml(id)}</code></p>\n<p>We answer within one month (Art. 12(3) GDPR) to the e-mail address you gave.</p>\n<p><a href="${PAGE_PATHS.contact.en}">Write another message</a></p>`,
    required: 'required',
  },
} as const;

/** The confirmation shown after a stored request. */
export const renderContactSuccess = (lang: PageLang, id: string): string => TEXTS[lang].success(id);

/** The message for an outcome, in the page's language. */
function outcomeText(lang: PageLang, outcome: FormOutcome): string {
  const texts = TEXTS[lang].outcome;
  return outcome.kind === 'rate_limited' ? texts.rate_limited(outcome.minutes) : texts[outcome.kind];
}

/**
 * The contact form (posting to the page's own path) with `values` filled in and, after a failed
 * post, the outcome above it and each field's error beside it. Every value is escaped.
 */
export function renderContactForm(options: { lang: PageLang; token: string; values: FormValues; outcome?: FormOutcome }): string {
  const { lang, token, values, outcome } = options;
  const t = TEXTS[lang];
  const errors = outcome?.kind === 'fields' ? outcome.errors : {};
  const attrs = (field: FormField) => (errors[field] ? ` aria-invalid="true" aria-describedby="${field}-error"` : '');
  const fieldError = (field: FormField) => (errors[field] ? `\n      <p class="field-error" id="${field}-error">${escapeHtml(t.fieldErrors[field])}</p>` : '');
  const value = (field: FormField) => escapeHtml(values[field] ?? '');
  const selectedKind = values.kind ?? 'contact';
  const options_ = REQUEST_KINDS.map((kind) => `<option value="${kind}"${kind === selectedKind ? ' selected' : ''}>${escapeHtml(t.kinds[kind])}</option>`).join('');
  const summary = outcome ? `\n<p class="notice error" role="alert">${escapeHtml(outcomeText(lang, outcome))}</p>` : '';
  // The customer reference comes from a link (…/kontakt?customer=cus_…) and is only carried along.
  const customer = values.customerId ? `\n    <input type="hidden" name="customerId" value="${value('customerId')}">${fieldError('customerId')}` : '';
  return `${summary}
<form method="post" action="${PAGE_PATHS.contact[lang]}" accept-charset="utf-8">
    <input type="hidden" name="${TOKEN_FIELD}" value="${escapeHtml(token)}">${customer}
    <label>${t.labels.kind}
      <select name="kind"${attrs('kind')}>${options_}</select>${fieldError('kind')}
    </label>
    <label><span>${t.labels.name} <span class="small">(${t.required})</span></span>
      <input name="name" autocomplete="name" maxlength="200" required value="${value('name')}"${attrs('name')}>${fieldError('name')}
    </label>
    <label><span>${t.labels.email} <span class="small">(${t.required})</span></span>
      <input name="email" type="email" autocomplete="email" maxlength="254" required value="${value('email')}"${attrs('email')}>${fieldError('email')}
    </label>
    <label><span>${t.labels.message} <span class="small">(${t.required})</span></span>
      <textarea name="message" maxlength="5000" required${attrs('message')}>${value('message')}</textarea>${fieldError('message')}
    </label>
    <div class="hp" aria-hidden="true"><label>${t.honeypot} <input name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></label></div>
    <button type="submit">${t.send}</button>
</form>`;
}

/** The submitted form fields as the contact schema expects them: empty optional fields left out. */
export function formInput(values: FormValues): Record<string, string> {
  const input: Record<string, string> = {};
  for (const field of FORM_FIELDS) {
    const v = values[field];
    if (v !== undefined && (v !== '' || field === 'name' || field === 'email' || field === 'message')) input[field] = v;
  }
  return input;
}
