import nodemailer from 'nodemailer';
import type { DataRequest } from '../../common/schemas/requests';
import { HttpError } from '../http/http-error';
import type { Logger } from '../log/logger';

/** One outgoing plain-text message. */
/** Outgoing mail server (smtp:// or smtps:// URL, credentials inside) and sender address. */
export interface SmtpSettings {
  url: string;
  from: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends mail through the configured SMTP server. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * A mailer over `smtp://host:port` (or `smtps://`, credentials in the URL allowed) with short
 * timeouts; STARTTLS is used whenever the server offers it. Errors are reported without the
 * addresses involved (nodemailer puts them into its messages).
 */
export function createMailer(smtp: SmtpSettings, log: Logger): Mailer {
  const transport = nodemailer.createTransport({ url: smtp.url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(message) {
      try {
        await transport.sendMail({ from: smtp.from, to: message.to, subject: message.subject, text: message.text });
      } catch (err) {
        const e = err as { code?: string; responseCode?: number };
        log.error('sending mail failed', { code: e.code, responseCode: e.responseCode });
        throw new HttpError(502, 'unavailable', 'The mail server did not accept the message. Try again later, or check the --smtp-url setting.');
      }
    },
    close: () => transport.close(),
  };
}

/** Whether a mail setting is usable; the message says what is wrong (for start-up and `serve --help`). */
export function checkSmtpSettings(url: string, from: string | undefined): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '--smtp-url must be a URL like smtp://mail.example.com:587.';
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') return '--smtp-url must start with smtp:// or smtps://.';
  if (!from || !/^[^\s@<>]+@[^\s@<>]+$/.test(from)) return '--mail-from must be the sender address, e.g. privacy@agency.example.';
  return null;
}

/** The message that forwards a request to the customer responsible for the processing. */
export function forwardMessage(request: DataRequest, customer: { name: string }, agency: string): { subject: string; text: string } {
  const due = request.dueAt.slice(0, 10);
  const label = request.kind === 'contact' ? 'contact request' : `data-subject request (${request.kind})`;
  return {
    subject: `[${request.id}] ${label} concerning ${customer.name} — answer due ${due}`,
    text: [
      `Dear ${customer.name},`,
      '',
      `we received the following ${label} about personal data that we process on your behalf.`,
      'As the controller you are responsible for answering it; the statutory deadline is one month',
      `after receipt (Art. 12(3) GDPR): ${due}. Please answer the person directly and let us know`,
      'if we must do anything in our systems.',
      '',
      `Request:   ${request.id}`,
      `Kind:      ${request.kind}`,
      `Received:  ${request.receivedAt}`,
      `Name:      ${request.name ?? ''}`,
      `E-mail:    ${request.email ?? ''}`,
      '',
      'Message:',
      request.message ?? '',
      '',
      '--',
      agency,
    ].join('\n'),
  };
}
