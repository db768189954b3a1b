import nodemailer from 'nodemailer';
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
        throw new HttpError(502, 'mail_failed', 'The mail server did not accept the message. Try again later, or check the --smtp-url setting.');
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

/**
 * The notice a customer's portal users get when a request is forwarded to them: only that a
 * request awaits them and where to read it — nothing about the data subject (no name, address,
 * message or kind), since e-mail is not the encrypted channel; the portal is. German and English.
 */
export function forwardNoticeMessage(portalUrl: string, agency: string): { subject: string; text: string } {
  const link = `${portalUrl.replace(/\/$/, '')}/#/requests`;
  return {
    subject: 'Eine Anfrage wartet im Kundenportal / A request awaits you in the customer portal',
    text: [
      'Guten Tag,',
      '',
      'im Kundenportal wartet eine an Sie weitergeleitete Anfrage auf Ihre Bearbeitung.',
      'Bitte melden Sie sich an, um sie zu lesen und zu beantworten:',
      link,
      '',
      '---',
      '',
      'Hello,',
      '',
      'a request forwarded to you awaits you in the customer portal.',
      'Please sign in to read and answer it:',
      link,
      '',
      '--',
      agency,
    ].join('\n'),
  };
}
