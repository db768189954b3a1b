import { nextTick, reactive } from 'vue';
import { useI18n } from 'vue-i18n';
import { z, type ZodType } from 'zod';
import { fieldIssueDetail } from '../../../common/field-issue';
import type { ApiError } from '../api/client';
import { fieldErrorText } from './field-error-text';

// Set in zod-csp.ts before any schema exists; repeated here through zod's API in case that ever changes.
z.config({ jitless: true });

/**
 * Field-level validation with the shared zod schemas from common/: messages appear at the fields,
 * the first invalid field gets focus. Server-side `details` land at the same fields, translated the
 * same way (field-error-text.ts). `custom` maps a field path to an i18n key for the schema's
 * cross-field rules where a form words them its own way.
 */
export function useFieldErrors(custom: Record<string, string> = {}) {
  const { t, te, locale } = useI18n();
  const errors = reactive<Record<string, string>>({});

  function clear(): void {
    for (const k of Object.keys(errors)) delete errors[k];
  }

  /** Parses `value` with `schema`; the parsed value, or null after putting messages at the fields. */
  function validate<S extends ZodType>(schema: S, value: unknown): z.output<S> | null {
    clear();
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const path = issue.path.map(String).join('.') || '_form';
      errors[path] ??= fieldErrorText(fieldIssueDetail(issue), locale.value, t, te, custom[path]);
    }
    void focusFirstInvalid();
    return null;
  }

  /** Shows the server's field details (validation_failed) at the fields. */
  function fromApi(err: ApiError | null): void {
    if (!err) return;
    for (const d of err.details) {
      const path = d.path && d.path !== '(body)' ? d.path : '_form';
      errors[path] ??= fieldErrorText(d, locale.value, t, te, d.code === 'custom' ? custom[path] : undefined);
    }
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
