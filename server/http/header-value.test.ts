import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { asciiOrigin, attachmentDisposition, etagValue, isSafeHeaderValue, locationValue } from './header-value';

/** Sets one header on a real response, as a handler would: throws exactly when Node refuses the value. */
function nodeAccepts(name: string, value: string): boolean {
  const res = new http.ServerResponse(new http.IncomingMessage(null as never));
  try {
    res.setHeader(name, value);
    return true;
  } catch {
    return false;
  }
}

describe('header values from data', () => {
  it('gives Location the ASCII form of any http(s) URL, and nothing for the rest', () => {
    expect(locationValue('https://shop.example/€')).toBe('https://shop.example/%E2%82%AC');
    expect(locationValue('https://bücher.example/☃?q=ä')).toBe('https://xn--bcher-kva.example/%E2%98%83?q=%C3%A4');
    expect(locationValue('http://shop.example/a b')).toBe('http://shop.example/a%20b');
    for (const bad of ['javascript:alert(1)', 'https://x.example:99999/', '', 'not a url', 'data:text/html,x']) expect(locationValue(bad), bad).toBeNull();
    expect(nodeAccepts('location', 'https://shop.example/€')).toBe(false);
    expect(nodeAccepts('location', locationValue('https://shop.example/€')!)).toBe(true);
  });

  it('gives CSP the punycode origin of an IDN base URL', () => {
    expect(asciiOrigin('https://bücher€.example:8443')).toBe('https://xn--bcher-kva2097c.example:8443');
    expect(asciiOrigin('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(asciiOrigin('javascript:1')).toBeNull();
  });

  it('quotes an ETag only when the tag can be one', () => {
    expect(etagValue('0123abcd')).toBe('"0123abcd"');
    expect(etagValue('a"b')).toBeNull();
    expect(etagValue('ä')).toBeNull();
    expect(etagValue('')).toBeNull();
  });

  it('writes Content-Disposition with an ASCII name and the exact UTF-8 name', () => {
    expect(attachmentDisposition('cas_abc.csv')).toBe('attachment; filename="cas_abc.csv"');
    expect(attachmentDisposition('Fall €1 "x".csv')).toBe(`attachment; filename="Fall_1_x_.csv"; filename*=UTF-8''Fall%20%E2%82%AC1%20%22x%22.csv`);
    expect(attachmentDisposition('a\r\nSet-Cookie: x=1')).toBe(`attachment; filename="a_Set-Cookie_x_1"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1`);
    expect(attachmentDisposition("\uD800'(*).csv")).toBe(`attachment; filename="_.csv"; filename*=UTF-8''%EF%BF%BD%27%28%2A%29.csv`);
    for (const name of ['Fall €1 "x".csv', 'a\r\nb', '\uD800', 'x'.repeat(500)]) {
      const value = attachmentDisposition(name);
      expect(isSafeHeaderValue(value), name).toBe(true);
      expect(nodeAccepts('content-disposition', value)).toBe(true);
    }
  });

  it('accepts only printable ASCII as safe', () => {
    expect(isSafeHeaderValue('text/plain; charset=utf-8')).toBe(true);
    for (const bad of ['ä', '€', 'a\r\nb', 'a\u0000']) expect(isSafeHeaderValue(bad), bad).toBe(false);
  });
});
