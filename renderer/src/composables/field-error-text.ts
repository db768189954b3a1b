import type { ErrorDetail } from '../../../common/error-codes';

type Translate = (key: string, params?: Record<string, unknown>) => string;
type Exists = (key: string) => boolean;

/**
 * A field problem in the user's language, from its kind and numbers (common/field-issue.ts): the
 * same for the console's own check and for a server detail, in German as precisely as in English.
 * A schema check's key picks its own text (`validation.checks.<key>`); `custom` is a view's text
 * for a path (cross-field rules phrased for that form). The English message of a detail without a
 * kind (an older server) is shown in English only.
 */
export function fieldErrorText(detail: ErrorDetail, locale: string, t: Translate, te: Exists, custom?: string): string {
  const p = detail.params ?? {};
  if (detail.code === 'custom') {
    if (custom) return t(custom);
    if (typeof p.key === 'string' && te(`validation.checks.${p.key}`)) return t(`validation.checks.${p.key}`, { ...p, found: htmlFound(p, t) });
  }
  const n = (v: unknown) => Number(v);
  switch (detail.code) {
    case 'too_small':
      if (p.origin === 'string') return n(p.minimum) <= 1 ? t('validation.required') : t('validation.minChars', { n: n(p.minimum) });
      if (p.origin === 'array' || p.origin === 'set') return t('validation.minItems', { n: n(p.minimum) });
      return t('validation.min', { n: n(p.minimum) });
    case 'too_big':
      if (p.origin === 'string') return t('validation.maxChars', { n: n(p.maximum) });
      if (p.origin === 'array' || p.origin === 'set') return t('validation.maxItems', { n: n(p.maximum) });
      return t('validation.max', { n: n(p.maximum) });
    case 'invalid_format':
      if (p.format === 'email') return t('validation.email');
      if (p.format === 'datetime' || p.format === 'date') return t('validation.date');
      return t('validation.invalid');
    case 'invalid_type':
      return p.expected === 'number' || p.expected === 'int' ? t('validation.number') : t('validation.required');
    case 'not_multiple_of':
      return t('validation.whole');
    case 'invalid_value':
      return t('validation.choose');
    case undefined:
      return locale === 'en' && detail.message ? detail.message : t('validation.invalid');
    default:
      return t('validation.invalid');
  }
}

/** Where an HTML creative's check found the problem (element, attribute), as a sentence or nothing. */
function htmlFound(p: NonNullable<ErrorDetail['params']>, t: Translate): string {
  if (typeof p.element !== 'string') return '';
  return typeof p.attribute === 'string' ? t('validation.htmlFound.attribute', p) : t('validation.htmlFound.element', p);
}
