import { describe, expect, it } from 'vitest';
import { findExternalReference, utf8Length } from './creative-html';

const ORIGIN = 'https://ads.agency.example';

describe('findExternalReference', () => {
  it('accepts self-contained HTML, relative and first-party references', () => {
    for (const html of [
      '<div style="color:red">Sale!</div>',
      '<img src="/v1/assets/ast_aaaaaaaaaaaaaaaa" alt="x">',
      `<img src="${ORIGIN}/v1/assets/ast_aaaaaaaaaaaaaaaa">`,
      '<img src="data:image/png;base64,iVBORw0KGgo=">',
      '<a href="#top">top</a>',
      '<style>.b{background:url(/v1/assets/ast_aaaaaaaaaaaaaaaa)}</style><p>50% off // today</p>',
      '<img srcset="/a.png 1x, /b.png 2x">',
    ]) {
      expect(findExternalReference(html, ORIGIN), html).toBeNull();
    }
  });

  it('finds third-party references in attributes, CSS and scripts, however they are written', () => {
    const cases: Array<[string, string]> = [
      ['<img src="https://cdn.example/a.png">', 'a src attribute'],
      ['<img src=http://cdn.example/a.png>', 'a src attribute'],
      ["<script src='//cdn.example/x.js'></script>", 'a src attribute'],
      ['<img SRC="&#104;ttps://cdn.example/a.png">', 'a src attribute'],
      ['<img src="ht\ntps://cdn.example/a.png">', 'a src attribute'],
      ['<img src="\\\\cdn.example/a.png">', 'a src attribute'],
      ['<a href="javascript:alert(1)">x</a>', 'a href attribute'],
      ['<iframe src="data:text/html,<p>x</p>"></iframe>', 'a src attribute'],
      ['<img srcset="/a.png 1x, https://cdn.example/b.png 2x">', 'a srcset attribute'],
      ['<div style="background:url(\'https://cdn.example/bg.png\')"></div>', "a CSS url() in a style attribute"],
      ['<style>@import "https://fonts.example/css";</style>', 'a CSS @import'],
      ['<style>div{background:url(//cdn.example/x.png)}</style>', 'a CSS url()'],
      ['<script>fetch("https://tracker.example/p")</script>', 'an absolute http(s) URL'],
      ['<base href="https://cdn.example/">', 'a <base> element'],
      ['<meta http-equiv="refresh" content="0;url=https://x.example">', 'a meta refresh'],
      [`<img src="${ORIGIN}.evil.example/a.png">`, 'a src attribute'],
      [`<img src="${ORIGIN}@evil.example/a.png">`, 'a src attribute'],
    ];
    for (const [html, found] of cases) expect(findExternalReference(html, ORIGIN), html).toBe(found);
  });

  it('treats everything absolute as external when no origin is given', () => {
    expect(findExternalReference(`<img src="${ORIGIN}/v1/assets/x">`)).toBe('a src attribute');
  });

  it('counts UTF-8 bytes', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
  });
});
