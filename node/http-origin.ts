/** The origin of an absolute http(s) URL in its ASCII form (punycode host), or null when `value` is none. */
export function httpOriginOf(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
}
