import { useI18n } from 'vue-i18n';
import type { ApiError } from '../api/client';

// Codes whose meaning does not depend on the request: shown in the user's language. Other codes
// (forbidden, conflict, bad_request, not_found …) carry the server's specific message, which says
// exactly what is refused and what to do (it is written in English).
const GENERIC = new Set([
  'network',
  'timeout',
  'unauthenticated',
  'csrf_header_missing',
  'too_many_requests',
  'payload_too_large',
  'unsupported_media_type',
  'internal_error',
  'unavailable',
  'method_not_allowed',
]);

/** Turns an API error into a sentence the user can act on, in their language where we know the case. */
export function useErrorText() {
  const { t } = useI18n();
  return (err: ApiError): string => {
    if (GENERIC.has(err.code)) return t(`errors.${err.code}`);
    if (err.code === 'validation_failed' && err.details.length) return t('errors.validation_failed');
    return err.message || t('errors.internal_error');
  };
}
