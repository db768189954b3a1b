import { useI18n } from 'vue-i18n';
import type { ApiError } from '../api/client';

/**
 * Turns an API error into a sentence the user can act on, in their language: the console's own
 * text for the code (every code of common/error-codes.ts has one), filled in from the error's
 * params. The server's English message is shown only for a code the console does not know.
 */
export function useErrorText() {
  const { t, te, locale } = useI18n();
  return (err: ApiError): string => {
    const key = `errors.${err.code}`;
    if (!te(key)) return err.message || t('errors.internal_error');
    const words = textParams(err.params, locale.value);
    // What a campaign lacks, in words of the console's language (lifecycle.missing.*).
    if (Array.isArray(err.params.missing)) {
      words.missing = new Intl.ListFormat(locale.value, { type: 'conjunction' }).format(err.params.missing.map((m) => t(`lifecycle.missing.${String(m)}`)));
    }
    return t(key, words);
  };
}

/** The error's params in words: a byte limit as a size, a wait in seconds as seconds or minutes. */
function textParams(params: Readonly<Record<string, unknown>>, locale: string): Record<string, string> {
  const out: Record<string, string> = {};
  const { limit, retryAfterSeconds, earliest, latest } = params;
  if (typeof earliest === 'string') out.earliest = earliest;
  if (typeof latest === 'string') out.latest = latest;
  const { width, height, zoneSizes, assetSize, creativeSize } = params;
  if (typeof width === 'number' && typeof height === 'number') out.size = `${width}×${height}`;
  if (Array.isArray(zoneSizes)) out.zoneSizes = zoneSizes.join(', ');
  if (typeof assetSize === 'string') out.assetSize = assetSize;
  if (typeof creativeSize === 'string') out.creativeSize = creativeSize;
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
