import { describe, expect, it } from 'vitest';
import { creativeCreateSchema, creativePatchSchema } from './creative';
import { LANDING_URL_MAX_LENGTH, landingUrlSchema, normaliseLandingUrl } from './landing-url';

describe('normaliseLandingUrl', () => {
  it('turns what people type into the ASCII form a Location header can carry', () => {
    const cases: Array<[string, string]> = [
      ['https://shop.example/€', 'https://shop.example/%E2%82%AC'],
      ['https://shop.example/☃?q=ä', 'https://shop.example/%E2%98%83?q=%C3%A4'],
      ['https://bücher.example/', 'https://xn--bcher-kva.example/'],
      ['https://BÜCHER.example/Straße?x=ß#teil-ü', 'https://xn--bcher-kva.example/Stra%C3%9Fe?x=%C3%9F#teil-%C3%BC'],
      ['  HTTPS://Shop.Example:443/offer  ', 'https://shop.example/offer'],
      ['http://shop.example:8080', 'http://shop.example:8080/'],
      ['https://[2001:db8::1]:8443/x', 'https://[2001:db8::1]:8443/x'],
      ['https://shop.example/a"b<c>', 'https://shop.example/a%22b%3Cc%3E'],
      ['https://shop.example/offer?x=1', 'https://shop.example/offer?x=1'],
    ];
    for (const [input, url] of cases) expect(normaliseLandingUrl(input), input).toEqual({ ok: true, url });
  });

  it('refuses what can never be a landing page, with a message that names the problem', () => {
    const cases: Array<[string, RegExp]> = [
      ['https://shop.example:99999/', /port .* between 1 and 65535/],
      ['https://[2001:db8::1]:70000/', /port .* between 1 and 65535/],
      ['https://shop.example:0/', /port .* between 1 and 65535/],
      ['https://user:pw@shop.example/', /user name or password/],
      ['https://user@shop.example/', /user name or password/],
      ['javascript:alert(1)', /absolute http\(s\) URL/],
      ['ftp://shop.example/', /absolute http\(s\) URL/],
      ['/relative', /absolute http\(s\) URL/],
      ['//shop.example/', /absolute http\(s\) URL/],
      ['https:shop.example', /absolute http\(s\) URL/],
      ['https:\\\\shop.example\\x', /absolute http\(s\) URL/],
      ['https://', /not a valid web address/],
      ['https://1.2.3.999/', /not a valid web address/],
      ['https://exa mple.example/', /spaces or control characters/],
      ['https://shop.example/\nx', /spaces or control characters/],
      ['https://shop.example/\u0085', /spaces or control characters/],
      [`https://shop.example/${'a'.repeat(LANDING_URL_MAX_LENGTH)}`, /at most 2048 characters/],
      [`https://shop.example/${'€'.repeat(300)}`, /at most 2048 characters once encoded/],
    ];
    for (const [input, message] of cases) {
      const result = normaliseLandingUrl(input);
      expect(result.ok, input).toBe(false);
      if (!result.ok) expect(result.message, input).toMatch(message);
    }
  });

  it('never answers anything but printable ASCII', () => {
    for (const input of ['https://shop.example/\u{1F600}', 'https://shop.example/\uD800', 'https://xn--bcher-kva.example/\u00A0x', 'https://ünï.example/ö?ä#ü']) {
      const result = normaliseLandingUrl(input);
      if (result.ok) expect(result.url, input).toMatch(/^[\x21-\x7e]+$/);
    }
  });
});

describe('landingUrlSchema', () => {
  it('is the landing URL rule of creatives, normalising on create and patch', () => {
    expect(landingUrlSchema.parse('https://bücher.example/€')).toBe('https://xn--bcher-kva.example/%E2%82%AC');
    const base = { campaignId: 'cmp_aaaaaaaaaaaaaaaa', width: 300, height: 250, assetId: 'ast_aaaaaaaaaaaaaaaa', alt: 'Ad' };
    expect(creativeCreateSchema.parse({ ...base, landingUrl: 'https://shop.example/☃' }).landingUrl).toBe('https://shop.example/%E2%98%83');
    expect(creativePatchSchema.parse({ landingUrl: 'https://bücher.example' }).landingUrl).toBe('https://xn--bcher-kva.example/');
    const refused = creativeCreateSchema.safeParse({ ...base, landingUrl: 'https://shop.example:99999/' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ['landingUrl'], message: 'The port of a landing URL must be between 1 and 65535.' });
  });
});
