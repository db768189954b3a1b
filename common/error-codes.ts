/**
 * The one catalogue of the API's error codes. The server answers `{error: {code, message,
 * params?, details?}}`: `message` is English, for API users and logs; the console shows its own
 * text for each code (renderer/src/i18n), filled in from `params`. Add a code here, and its
 * German and English text, nowhere else.
 */
export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'csrf_header_missing',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'request_aborted',
  'unsupported_media_type',
  'too_many_requests',
  'gone',
  'locked',
  'internal_error',
  'unavailable',
  'totp_required',
  'totp_invalid',
  'totp_enrolment_required',
  /** Customer portal: an invitation link that is unknown, used, revoked or expired (one code: no oracle). */
  'invitation_invalid',
  /** Customer portal: the customer asked for deletion; its accounts stay locked until erasure. */
  'portal_account_restricted',
  /** A statement's month is not YYYY-MM or lies outside [earliest, latest]. */
  'statement_month_invalid',
  /** A creative's size fits none of its campaign's zones (params name both). */
  'creative_size_mismatch',
  /** A replacement image is not the size of the creative it replaces. */
  'asset_size_mismatch',
  /** Only an image creative's image can be replaced (HTML creatives keep their content). */
  'creative_not_image',
  /** A campaign cannot become active without a zone and an active creative that fits one. */
  'campaign_incomplete',
  /** A zone's size cannot change once ads were served in it. */
  'zone_size_locked',
  /** Archived things are not changed; restore them first. */
  'archived',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The parameters of the codes whose message names a number: what the console's text fills in. */
export interface ErrorParamsByCode {
  /** The body limit in bytes. */
  payload_too_large: { limit: number };
  /** How long to wait before the next attempt (also the Retry-After header). */
  too_many_requests: { retryAfterSeconds: number };
  /** The first and the last month (YYYY-MM) a statement can be made for. */
  statement_month_invalid: { earliest: string; latest: string };
  /** The creative's size and the distinct sizes of its campaign's zones ('300×250'). */
  creative_size_mismatch: { width: number; height: number; zoneSizes: string[] };
  /** The uploaded image's size and the creative's size ('728×90'). */
  asset_size_mismatch: { assetSize: string; creativeSize: string };
  /** What the campaign still lacks. */
  campaign_incomplete: { missing: Array<'zone' | 'creative'> };
  /** The zone's current size. */
  zone_size_locked: { width: number; height: number };
  /** What is archived: the thing itself or what it belongs to. */
  archived: { kind: 'site' | 'zone' | 'campaign' | 'creative' };
}

/** The parameters a code carries (an empty object for codes without any). */
export type ErrorParams<C extends ErrorCode = ErrorCode> = C extends keyof ErrorParamsByCode ? ErrorParamsByCode[C] : Record<string, never>;

/** A field-level problem of a validation error: the field's path and a message, never the input. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** The body of every error answer of the admin and delivery APIs. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; params?: ErrorParams; details?: ErrorDetail[] };
}

/** Whether a string is a code of the catalogue. */
export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}
