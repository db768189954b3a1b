import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr } from '../../common/cidr';
import { TokenSigner, tokenTail } from '../delivery/tokens';
import { CSV_HEADER, csvRow } from './case-results';
import { parseRecord } from './record-store';
import { pageZonesOfUrl, recordMatcher, tokenPlacement, viewFilter, zoneOfUrl, type CaseScope } from './record-filter';

const line = (r: Record<string, unknown>) => JSON.stringify(r);
const rec = (over: Record<string, unknown> = {}) => line({ t: '2025-03-10T09:30:00.000Z', ip: '203.0.113.7', method: 'GET', url: '/v1/zone/zon_a.js', status: 200, bytes: 10, ...over });
const scope = (over: Partial<CaseScope> = {}): CaseScope => ({ from: '2025-03-10T09:00:00.000Z', to: '2025-03-10T10:00:00.000Z', placements: [], cidr: null, path: null, ...over });

describe('CIDR prefixes', () => {
  it('parses IPv4, IPv6 and bare addresses and matches by prefix', () => {
    expect(cidrContains(parseCidr('203.0.113.0/24')!, '203.0.113.99')).toBe(true);
    expect(cidrContains(parseCidr('203.0.113.0/24')!, '203.0.114.1')).toBe(false);
    expect(cidrContains(parseCidr('203.0.113.128/25')!, '203.0.113.127')).toBe(false);
    expect(cidrContains(parseCidr('2001:db8::/32')!, '2001:db8:ffff::1')).toBe(true);
    expect(cidrContains(parseCidr('2001:db8::/32')!, '203.0.113.1')).toBe(false);
    expect(cidrContains(parseCidr('198.51.100.9')!, '::ffff:198.51.100.9')).toBe(true);
    expect(cidrContains(parseCidr('0.0.0.0/0')!, '1.2.3.4')).toBe(true);
    for (const bad of ['1.2.3.4/33', '::/129', '1.2.3/8', 'x/1', '1.2.3.4/', '1.2.3.4/-1', '']) expect(parseCidr(bad)).toBeNull();
  });
});

describe('placements from URLs', () => {
  it('reads the zone of tag, frame and decision URLs', () => {
    expect(zoneOfUrl('/v1/zone/zon_abc.js')).toBe('zon_abc');
    expect(zoneOfUrl('/v1/zone/zon_abc/frame?x=1')).toBe('zon_abc');
    expect(zoneOfUrl('/v1/decision?kw=a&zone=zon_abc')).toBe('zon_abc');
    expect(zoneOfUrl('/v1/zone/zon_abc.css')).toBeNull();
    expect(zoneOfUrl('/healthz')).toBeNull();
    expect(pageZonesOfUrl('/v1/decision?zones=zon_a,zon_b&kw=x')).toEqual(['zon_a', 'zon_b']);
    expect(pageZonesOfUrl('/v1/decision?zone=zon_a')).toEqual([]);
    expect(pageZonesOfUrl('/v1/other?zones=zon_a')).toEqual([]);
  });

  it('reads creative and zone from impression and click tokens as the delivery signs them', () => {
    const signer = new TokenSigner({ current: randomBytes(32), previous: null });
    const { token } = signer.issue(tokenTail('crv_aaaaaaaaaaaaaaaa', 'zon_bbbbbbbbbbbbbbbb'), 1_700_000_000);
    expect(tokenPlacement(`/v1/imp/${token}`)).toEqual({ creative: 'crv_aaaaaaaaaaaaaaaa', zone: 'zon_bbbbbbbbbbbbbbbb' });
    expect(tokenPlacement(`/v1/click/${token}?r=1`)).toEqual({ creative: 'crv_aaaaaaaaaaaaaaaa', zone: 'zon_bbbbbbbbbbbbbbbb' });
    expect(tokenPlacement(`/v1/imp/${token.slice(0, -4)}`)).toBeNull();
    expect(tokenPlacement('/v1/imp/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBeNull();
    // A version-1 token (before the country byte) in an older record: same ids.
    const v2 = Buffer.from(token, 'base64url');
    const v1 = Buffer.concat([Buffer.from([1]), v2.subarray(1, 21), v2.subarray(22)]).toString('base64url');
    expect(tokenPlacement(`/v1/imp/${v1}`)).toEqual({ creative: 'crv_aaaaaaaaaaaaaaaa', zone: 'zon_bbbbbbbbbbbbbbbb' });
  });
});

describe('recordMatcher', () => {
  it('keeps only records inside [from, to)', () => {
    const m = recordMatcher(scope());
    expect(m(rec())).toBe(true);
    expect(parseRecord(rec())).toMatchObject({ ip: '203.0.113.7', referrer: null, userAgent: null, status: 200 });
    expect(m(rec({ t: '2025-03-10T09:00:00.000Z' }))).toBe(true);
    expect(m(rec({ t: '2025-03-10T10:00:00.000Z' }))).toBe(false);
    expect(m(rec({ t: '2025-03-10T08:59:59.999Z' }))).toBe(false);
    // Records not in the sealer's exact shape still go through the parsed check.
    expect(m(line({ ip: '1.1.1.1', t: '2025-03-10T09:10:00Z', url: '/' }))).toBe(true);
    expect(m(line({ ip: '1.1.1.1', t: 'garbage', url: '/' }))).toBe(false);
    expect(m(line({ ip: '1.1.1.1', t: '2025-03-10T10:10:00+01:00', url: '/' }))).toBe(true);
    expect(m('')).toBe(false);
  });

  it('applies IP prefix, path prefix and placement filters together', () => {
    const zones = { zones: new Set(['zon_a']), creatives: new Set(['crv_c']) };
    const m = recordMatcher(scope({ cidr: parseCidr('203.0.113.0/24'), path: '/v1/', placements: [zones] }));
    expect(m(rec())).toBe(true);
    expect(m(rec({ ip: '198.51.100.1' }))).toBe(false);
    expect(m(rec({ url: '/healthz' }))).toBe(false);
    expect(m(rec({ url: '/v1/zone/zon_other.js' }))).toBe(false);
    // A page decision counts for every zone it names.
    expect(m(rec({ url: '/v1/decision?zones=zon_other,zon_a' }))).toBe(true);
    expect(m(rec({ url: '/v1/decision?zones=zon_other,zon_b' }))).toBe(false);
    const signer = new TokenSigner({ current: randomBytes(32), previous: null });
    const { token } = signer.issue(tokenTail('crv_c', 'zon_elsewhere'), 1);
    expect(m(rec({ url: `/v1/click/${token}` }))).toBe(true); // the customer's creative, shown elsewhere
    // URLs with JSON escapes are checked after parsing, with the same result.
    expect(m(rec({ url: '/v1/zone/zon_a.js?q="x"' }))).toBe(true);
    expect(m(rec({ url: '/v2/"zone' }))).toBe(false);
    const byPath = recordMatcher(scope({ path: '/v1/zone/zon_a' }));
    expect(byPath(rec({ url: '/v1/zone/zon_a.js' }))).toBe(true);
    expect(byPath(rec({ url: '/v1/zone/zon_b.js' }))).toBe(false);
    expect(byPath(rec({ url: '/v1/decision?next=/v1/zone/zon_a' }))).toBe(false);
  });

  it('decides IP prefixes on the raw line exactly as the general CIDR check does', () => {
    const rand = (n: number) => Math.floor(Math.random() * n);
    for (let i = 0; i < 2000; i++) {
      const prefix = `${rand(256)}.${rand(256)}.${rand(256)}.${rand(256)}/${rand(33)}`;
      const cidr = parseCidr(prefix)!;
      const m = recordMatcher(scope({ cidr }));
      const near = cidr.bytes.map((b, k) => (k < 2 && Math.random() < 0.8 ? b : rand(256)));
      const ip = [near.join('.'), `::ffff:${near.join('.')}`, '2001:db8::1', `${near.join('.')}.1`, '1..2.3', '256.1.1.1', '01.2.3.4'][rand(7)]!;
      expect(m(rec({ ip })), `${ip} in ${prefix}`).toBe(cidrContains(cidr, ip));
    }
  });

  it('filters views of the results', () => {
    const r = { t: '', ip: '203.0.113.7', method: 'GET', url: '/v1/decision?zone=z', status: 204, bytes: 0, referrer: null, userAgent: null };
    expect(viewFilter({ ip: '203.0.113.0/24', path: '/v1/decision', status: 204 })(r)).toBe(true);
    expect(viewFilter({ status: 200 })(r)).toBe(false);
    expect(viewFilter({ ip: '10.0.0.0/8' })(r)).toBe(false);
  });
});

describe('CSV export', () => {
  it('quotes and defuses spreadsheet formulas', () => {
    const row = csvRow({ t: 'T', ip: '1.2.3.4', method: 'GET', url: '/a,"b"', status: 200, bytes: 1, referrer: '=HYPERLINK("x")', userAgent: null });
    expect(CSV_HEADER).toBe('t,ip,method,url,status,bytes,referrer,userAgent');
    expect(row).toBe('T,1.2.3.4,GET,"/a,""b""",200,1,"\'=HYPERLINK(""x"")",');
  });
});
