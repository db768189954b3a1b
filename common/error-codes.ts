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
  // Specific refusals of the console's actions (issue 13 item 6): the console names what happened.
  /** Sign-in or an account change for a disabled account. */
  'account_disabled',
  /** The current password given to confirm a change is wrong (the session stays). */
  'password_wrong',
  /** Another account (staff, or a portal account) already has this e-mail address. */
  'email_taken',
  /** An administrator tried to remove their own admin role. */
  'own_admin_role',
  /** An administrator tried to disable their own account. */
  'own_account_disabled',
  /** First-run setup after the first account exists. */
  'setup_done',
  /** First-run setup from another machine than the server's. */
  'setup_local_only',
  'totp_already_on',
  'totp_not_pending',
  'totp_not_on',
  'totp_required_by_role',
  /** Requiring two-factor sign-in of everyone before one's own is on. */
  'totp_own_first',
  /** A case's window ends after now. */
  'case_window_in_future',
  /** A case names a zone, site or customer that does not exist. */
  'case_scope_unknown',
  /** Every log of the window was sealed to a throwaway key (before the first ceremony). */
  'case_window_unopenable',
  /** No key ceremony covers the window. */
  'case_window_no_key',
  /** The case takes no approvals or involvement in its state. */
  'case_not_open',
  'case_already_closed',
  'case_close_forbidden',
  'case_unsealing',
  'case_no_affected_customer',
  'case_involvement_recorded',
  /** Approving a case that affects a customer before their involvement is recorded. */
  'case_involvement_missing',
  'case_already_approved',
  /** The approver holds no share of the case's keys. */
  'case_no_share',
  /** A re-wrapped share that does not decrypt or has the wrong length. */
  'case_share_invalid',
  'case_records_forbidden',
  /** The case's records cannot be read in its state. */
  'case_records_unavailable',
  'ceremony_too_few_approvers',
  'ceremony_too_many_approvers',
  'ceremony_threshold_invalid',
  'ceremony_roles_missing',
  'ceremony_duplicate_approver',
  'ceremony_approver_inactive',
  'ceremony_approver_role',
  'ceremony_not_enrolled',
  'ceremony_running',
  /** A statistics range whose end is not after its start. */
  'stats_range_order',
  /** A statistics range longer than allowed. */
  'stats_range_too_long',
  /** A closed data-subject or contact request. */
  'request_closed',
  /** A customer restricted after a deletion request (nothing is forwarded, nobody invited). */
  'customer_restricted',
  /** The customer portal is turned off on this server. */
  'portal_off',
  'invitation_used',
  /** The mail server did not accept a message. */
  'mail_failed',
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
  case_scope_unknown: { kind: 'zone' | 'site' | 'customer' };
  /** The case's status (common/schemas/cases.ts CASE_STATUSES). */
  case_not_open: { status: string };
  case_already_closed: { status: string };
  case_records_unavailable: { status: string };
  ceremony_too_many_approvers: { max: number };
  /** The highest threshold: the number of approvers. */
  ceremony_threshold_invalid: { max: number };
  /** The position (1-based) of the approver in the list. */
  ceremony_approver_inactive: { position: number };
  ceremony_approver_role: { name: string };
  /** The names of the approvers who have not enrolled. */
  ceremony_not_enrolled: { names: string[] };
  stats_range_too_long: { maxDays: number };
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

/**
 * A field-level problem of a validation error: the field's path, an English message, and the zod
 * issue's kind with its numbers (`too_small` {minimum, origin}, `invalid_format` {format}, `custom`
 * {key} …: common/field-issue.ts), never the input.
 */
export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
  params?: Record<string, string | number | boolean>;
}

/** The body of every error answer of the admin and delivery APIs. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; params?: ErrorParams; details?: ErrorDetail[] };
}

/** Whether a string is a code of the catalogue. */
export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}
