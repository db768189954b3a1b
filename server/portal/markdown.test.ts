import { describe, expect, it } from 'vitest';
import { renderMarkdown, safeHref } from './markdown';

describe('renderMarkdown (the safe subset)', () => {
  it('renders headings, paragraphs, emphasis, lists, quotes, code and rules', () => {
    const html = renderMarkdown(
      ['# Title *x*', 'Some **bold**, _em_ and snake_case_name; 5 * 3 * 2.', 'line  ', 'break `<b>` code', '', '- a', '- b *c*', '', '3. three', '4. four', '---', '> quote', '```', '<raw>&', '```', '*a **b** c*'].join('\n'),
    );
    expect(html).toBe(
      [
        '<h1>Title <em>x</em></h1>',
        '<p>Some <strong>bold</strong>, <em>em</em> and snake_case_name; 5 * 3 * 2.',
        'line<br>',
        'break <code>&lt;b&gt;</code> code</p>',
        '<ul>\n<li>a</li>\n<li>b <em>c</em></li>\n</ul>',
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>',
        '<hr>',
        '<blockquote>\n<p>quote</p>\n</blockquote>',
        '<pre><code>&lt;raw&gt;&amp;</code></pre>',
        '<p><em>a <strong>b</strong> c</em></p>',
      ].join('\n'),
    );
  });

  it('escapes raw HTML and keeps only http(s), mailto and same-site links', () => {
    const html = renderMarkdown(
      [
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(1)> <a href="javascript:alert(2)">a</a>',
        '[j](javascript:alert(3)) [J](JaVaScRiPt:alert(4)) [e](java&#115;cript:alert(5)) [d](data:text/html,x) [p](//evil.example)',
        '[q](https://a.example/"onmouseover="alert(6)) <https://b.example/?a=1&b=2> [m](mailto:dpo@example.org) [r](/impressum)',
        '<javascript:alert(7)>',
      ].join('\n'),
    );
    // Every tag is one the subset makes, and links carry nothing but an href.
    for (const tag of html.match(/<[^>]*>/g) ?? []) expect(tag).toMatch(/^<\/?(p|em|strong|code|br)>$|^<a href="[^"<>]*">$|^<\/a>$/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // Unsafe targets keep their text but lose the link.
    expect(html).toContain('\nj J e d p\n');
    expect(html).toContain('<a href="https://b.example/?a=1&amp;b=2">https://b.example/?a=1&amp;b=2</a>');
    expect(html).toContain('<a href="mailto:dpo@example.org">m</a>');
    expect(html).toContain('<a href="/impressum">r</a>');
    expect(html).toContain('&lt;javascript:alert(7)&gt;');
    const attrs = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    expect(attrs).toEqual(['https://a.example/&quot;onmouseover=&quot;alert(6)', 'https://b.example/?a=1&amp;b=2', 'mailto:dpo@example.org', '/impressum']);
  });

  it('safeHref refuses schemes hidden behind whitespace or control characters', () => {
    for (const bad of ['java\tscript:x', ' javascript:x', 'javascript:x', 'vbscript:x', 'http://', 'https://a b.example', '/\\evil.example', 'data:x']) expect(safeHref(bad)).toBeNull();
    for (const good of ['https://example.org/a?b=c', 'http://example.org', 'mailto:a@b.example', '/datenschutz', '#rights']) expect(safeHref(good)).toBe(good);
  });
});
