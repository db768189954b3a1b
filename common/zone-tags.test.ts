import { describe, expect, it } from 'vitest';
import { MAX_TAG_KEYWORDS, tagKeywords, zoneTags } from './zone-tags';

const zone = { id: 'zon_abcdefghijklmnop', width: 300, height: 250 };

describe('tag keywords', () => {
  it('lower-cases, trims and deduplicates, and sets apart what delivery would refuse', () => {
    expect(tagKeywords(' Sport, news ,SPORT,, Fußball ')).toEqual({ keywords: ['sport', 'news', 'fußball'], invalid: [] });
    expect(tagKeywords('ok, zwei Wörter, "x", -dash')).toEqual({ keywords: ['ok'], invalid: ['zwei Wörter', '"x"', '-dash'] });
    const many = Array.from({ length: MAX_TAG_KEYWORDS + 2 }, (_, i) => `k${i}`);
    expect(tagKeywords(many.join(','))).toEqual({ keywords: many.slice(0, MAX_TAG_KEYWORDS), invalid: many.slice(MAX_TAG_KEYWORDS) });
  });

  it('go into every snippet, and none without them', () => {
    const plain = zoneTags('https://ads.example', zone, 'Anzeige');
    expect(plain.js).toBe('<script src="https://ads.example/v1/zone/zon_abcdefghijklmnop.js" async></script>');
    expect(plain.pageIns).not.toContain('data-ce-kw');
    const tags = zoneTags('https://ads.example', zone, 'Anzeige', ['sport', 'fußball']);
    expect(tags.js).toBe('<script src="https://ads.example/v1/zone/zon_abcdefghijklmnop.js?kw=sport,fu%C3%9Fball" async></script>');
    expect(tags.iframe).toContain('src="https://ads.example/v1/zone/zon_abcdefghijklmnop/frame?kw=sport,fu%C3%9Fball"');
    expect(tags.pageIns).toBe('<ins data-ce-zone="zon_abcdefghijklmnop" data-ce-kw="sport,fußball" style="display:inline-block;width:300px;height:250px"></ins>');
    expect(tags.pageScript).toBe(plain.pageScript);
  });
});
