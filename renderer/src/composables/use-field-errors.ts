import { nextTick, reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import { z, type ZodType } from 'zod';
import type { ApiError } from '../api/client';

// Set in zod-csp.ts before any schema exists; repeated here through zod's API in case that ever changes.
z.config({ jitless: true });

type Issue = z.core.$ZodIssue;

/**
 * Field-level validation with the shared zod schemas from common/: messages appear at the fields,
 * the first invalid field gets focus. Server-side `details` land at the same fields.
 * `custom` maps a field path to an i18n key for the schema's cross-field rules.
 */
export function useFieldErrors(custom: Record<string, string> = {}) {
  const { t, locale } = useI18n();
  const errors = reactive<Record<string, string>>({});

  function clear(): void {
    for (const k of Object.keys(errors)) delete errors[k];
  }

  function message(issue: Issue, path: string): string {
    if (issue.code === 'custom' && custom[path]) return t(custom[path]);
    // English: the schema's own messages are written for people. Other languages: by issue kind.
    if (locale.value === 'en') return issue.message;
    switch (issue.code) {
      case 'too_small':
        if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? t('validation.required') : t('validation.minChars', { n: Number(issue.minimum) });
        if (issue.origin === 'array' || issue.origin === 'set') return t('validation.minItems', { n: Number(issue.minimum) });
        return t('validation.min', { n: Number(issue.minimum) });
      case 'too_big':
        if (issue.origin === 'string') return t('validation.maxChars', { n: Number(issue.maximum) });
        if (issue.origin === 'array' || issue.origin === 'set') return t('validation.maxItems', { n: Number(issue.maximum) });
        return t('validation.max', { n: Number(issue.maximum) });
      case 'invalid_format':
        if (issue.format === 'email') return t('validation.email');
        if (issue.format === 'datetime' || issue.format === 'date') return t('validation.date');
        return t('validation.format');
      case 'invalid_type':
        return issue.expected === 'number' || issue.expected === 'int' ? t('validation.number') : t('validation.required');
      case 'not_multiple_of':
        return t('validation.whole');
      default:
        return t('validation.invalid');
    }
  }

  /** Parses `value` with `schema`; the parsed value, or null after putting messages at the fields. */
  function validate<S extends ZodType>(schema: S, value: unknown): z.output<S> | null {
    clear();
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.') || '_form';
      errors[path] ??= message(issue, path);
    }
    void focusFirstInvalid();
    return null;
  }

  /** Shows the server's field details (validation_failed) at the fields. */
  function fromApi(err: ApiError | null): void {
    if (!err) return;
    for (const d of err.details) errors[d.path || '_form'] ??= d.message;
    if (err.details.length) void focusFirstInvalid();
  }

  return { errors, clear, validate, fromApi };
}

async function focusFirstInvalid(): Promise<void> {
  await nextTick();
  const el = document.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (el instanceof HTMLFieldSetElement) el.querySelector<HTMLElement>('input, select, textarea')?.focus();
  else el?.focus();
}
