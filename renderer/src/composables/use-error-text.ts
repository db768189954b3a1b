import { useI18n } from 'vue-i18n';
import type { ApiError } from '../api/client';

type Translate = (key: string) => string;

/**
 * Turns an API error into a sentence the user can act on, in their language: the console's own
 * text for the code (every code of common/error-codes.ts has one), filled in from the error's
 * params. The server's English message is never shown: it is written for API users and may name
 * paths; a code this console does not know (a newer server) gets the text of its HTTP status class.
 */
export function useErrorText() {
  const { t, te, locale } = useI18n();
  return (err: ApiError): string => {
    const key = `errors.${err.code}`;
    if (!te(key)) return t(fallbackKey(err.status));
    const words = errorTextParams(err.params, locale.value, (k) => (te(k) ? t(k) : ''));
    // What a campaign lacks, in words of the console's language (lifecycle.missing.*).
    if (Array.isArray(err.params.missing)) {
      words.missing = new Intl.ListFormat(locale.value, { type: 'conjunction' }).format(err.params.missing.map((m) => t(`lifecycle.missing.${String(m)}`)));
    }
    return t(key, words);
  };
}

/** The generic text for a status when the code is unknown. */
export function fallbackKey(status: number): string {
  if (status === 401) return 'errors.unauthenticated';
  if (status === 403) return 'errors.forbidden';
  if (status === 404) return 'errors.not_found';
  if (status === 409) return 'errors.conflict';
  if (status >= 400 && status < 500) return 'errors.bad_request';
  return 'errors.internal_error';
}

/**
 * The error's params in words: a byte limit as a size, a wait in seconds as seconds or minutes, a
 * case status and a kind of thing by their names, lists joined, numbers in the locale's digits.
 */
export function errorTextParams(params: Readonly<Record<string, unknown>>, locale: string, translate: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string') out[name] = value;
    else if (typeof value === 'number') out[name] = new Intl.NumberFormat(locale).format(value);
    else if (Array.isArray(value)) out[name] = value.map(String).join(', ');
  }
  const { limit, retryAfterSeconds, status, kind } = params;
  if (typeof status === 'string') out.status = translate(`cases.statuses.${status}`) || status;
  if (typeof kind === 'string') out.kind = translate(`fields.${kind}`) || kind;
  const { width, height } = params;
  if (typeof width === 'number' && typeof height === 'number') out.size = `${width}×${height}`;
  if (typeof limit === 'number') {
    const mb = limit >= 1024 * 1024;
    out.size = new Intl.NumberFormat(locale, { style: 'unit', unit: mb ? 'megabyte' : 'kilobyte', maximumFractionDigits: 1 }).format(limit / (mb ? 1024 * 1024 : 1024));
  }
  if (typeof retryAfterSeconds === 'number') {
    const minutes = retryAfterSeconds >= 120;
    const unit = minutes ? 'minute' : 'second';
    out.wait = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(minutes ? Math.ceil(retryAfterSeconds / 60) : retryAfterSeconds);
  }
  return out;
}
