/**
 * Stable keys of the schemas' own checks (regular expressions, refinements, cross-field rules).
 * zod names the kind of a built-in issue (`too_small`, `invalid_format` …) but not which of our
 * checks failed; each check carries its key in the issue's `params` (`{ key, …numbers }`), so the
 * console shows its own German or English text for it (renderer i18n `validation.checks.<key>`)
 * instead of the schema's English message.
 */
export const CHECK_KEYS = [
  'domain',
  'keyword',
  'country',
  'exclusivityGroup',
  'id',
  'requestId',
  'base64',
  'ipPrefix',
  'logPath',
  'ageRecipient',
  'htmlSize',
  'oneContent',
  'endsAfterStart',
  'oneGoal',
  'atLeastOne',
  'toAfterFrom',
  'rangeTooLong',
  'recordDates',
  'codeOrPassword',
  'idList',
  'listSize',
  'countryList',
  'dimensions',
  'dimensionTwice',
  'landingUrlTooLong',
  'landingUrlAbsolute',
  'landingUrlSpaces',
  'landingUrlPort',
  'landingUrlHost',
  'landingUrlCredentials',
  /** Server-side: HTML with an element, attribute, style or address a creative may not use. */
  'htmlUnsafe',
  /** Server-side: an id in the body names nothing that exists. */
  'unknownId',
] as const;
export type CheckKey = (typeof CHECK_KEYS)[number];

/** The numbers a check's text names, beside its key. */
export type CheckParams = Record<string, string | number>;

/**
 * The second argument of `.refine()` (and the fields of a custom issue): the English message for
 * API users and the key (with the numbers it names) for the console's own text.
 */
export function keyed(key: CheckKey, message: string, params: CheckParams = {}): { message: string; params: CheckParams & { key: CheckKey } } {
  return { message, params: { ...params, key } };
}

/** A regular-expression check with a key: `.refine(...matches(RE, 'domain', 'Enter a domain …'))`. */
export function matches(re: RegExp, key: CheckKey, message: string): [(value: string) => boolean, ReturnType<typeof keyed>] {
  return [(value) => re.test(value), keyed(key, message)];
}
