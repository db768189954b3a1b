import { describe, expect, it } from 'vitest';
import { findHtmlCreativeProblem, srcsetUrls } from './html-creative-policy';

const ORIGIN = 'https://ads.agency.example';
const PNG = 'data:image/png;base64,iVBORw0KGgo=';
const check = (html: string) => findHtmlCreativeProblem(html, ORIGIN)?.phrase ?? null;

describe('HTML creative allow-list', () => {
  it('accepts self-contained ads: inline styles, data: images, first-party images, click links, basic SVG', () => {
    for (const html of [
      '<div class="ad"><b>Sale</b> 50% off</div>',
      '<div style="background:#fc0;width:300px;height:250px">Sommer-Sale <b>−30 %</b></div>',
      '<a href="%%CLICK_URL%%"><b>Big offer</b></a>',
      '<a id="cta" href="%%CLICK_URL%%" target="_blank" rel="noopener">Read more</a>',
      '<a href="#top">top</a>',
      `<img src="${PNG}" alt="x" width="300" height="250">`,
      '<img src="/v1/assets/ast_aaaaaaaaaaaaaaaa" alt="x">',
      `<img src="${ORIGIN}/v1/assets/ast_aaaaaaaaaaaaaaaa">`,
      '<img srcset="/a.png 1x, /b.png 2x">',
      `<picture><source srcset="/v1/assets/ast_aaaaaaaaaaaaaaaa 2x" media="(min-width: 600px)"><img src="${PNG}" alt=""></picture>`,
      '<style>.b{background:url(/v1/assets/ast_aaaaaaaaaaaaaaaa)}</style><p>50% off // today</p>',
      `<style>.a{background-image:image-set("/a.png" 1x, "${PNG}" 2x)}</style>`,
      '<style>@media (max-width: 300px){.a{font:12px/1.2 Arial,sans-serif;color:rgb(0 0 0 / 50%)}}@keyframes p{from{transform:scale(1)}to{transform:scale(1.1)}}.a{animation:p 1s infinite}</style>',
      '<style>@font-face{font-family:Brand;src:local("Arial"),url(/v1/assets/ast_aaaaaaaaaaaaaaaa) format("woff2")}</style>',
      '<table width="300"><tr><td style="padding:4px" valign="top">A</td><td colspan="2">B</td></tr></table>',
      '<ul><li>One</li><li>Two</li></ul><h2 aria-label="Offer" data-track="x">Now</h2><p>Go to %%CLICK_URL%% now</p>',
      '<svg viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/><circle cx="5" cy="5" r="2" stroke="black"/><text x="1" y="9">Hi</text></svg>',
      '<!-- a comment --><div>x</div>',
    ]) {
      expect(check(html), html).toBeNull();
    }
  });

  it('refuses every bypass attempt, naming what it found without echoing the input', () => {
    const cases: Array<[string, string]> = [
      // CSS escapes, image-set(), src(), @import however written
      ['<div style="background:url(ht\\74ps://evil.example/x.png)">x</div>', 'a style attribute on <div> with a CSS url() that points to another server'],
      ['<style>div{background:url( "ht\\74ps://evil.example/x.png" )}</style>', 'a CSS url() that points to another server in a <style> element'],
      ['<div style="background:\\75rl(https://evil.example/x.png)">x</div>', 'a style attribute on <div> with CSS that could not be read'],
      ['<div style="background-image:image-set(&quot;//evil.example/x.png&quot; 1x)">x</div>', 'a style attribute on <div> with a URL in CSS image-set() that points to another server'],
      ["<style>a{background:-webkit-image-set('//evil.example/x.png' 1x)}</style>", 'a URL in CSS -webkit-image-set() that points to another server in a <style> element'],
      ['<style>a{background:image-set(url(//evil.example/x.png) 1x)}</style>', 'a CSS url() that points to another server in a <style> element'],
      ['<div style="background:src(\'https://evil.example/x.png\')">x</div>', 'a style attribute on <div> with the CSS function src()'],
      ['<style>@import "https://fonts.example/css";</style>', 'the CSS at-rule @import in a <style> element'],
      ['<style>@import url(/v1/local.css);</style>', 'the CSS at-rule @import in a <style> element'],
      ['<style>@\\69mport url(//evil.example/x.css);</style>', 'a CSS at-rule with an unusual name in a <style> element'],
      ['<svg><style>@&#105;mport url(//evil.example/x.css)</style></svg>', 'the CSS at-rule @import in a <style> element'],
      ['<style>@font-face{font-family:x;src:url(https://fonts.example/f.woff2)}</style>', 'a CSS url() that points to another server in a <style> element'],
      ['<style>a{b\\61ckground:url(//evil.example/x.png)}</style>', 'a CSS property with an unusual name in a <style> element'],
      ['<div style="--x:url(//evil.example/x.png);background:var(--x)">x</div>', 'a style attribute on <div> with a CSS custom property'],
      ['<div style="behavior:url(/x.htc)">x</div>', 'a style attribute on <div> with the CSS property behavior'],
      ['<div style="color:red;}x{background:url(//evil.example/x.png)">x</div>', 'a style attribute on <div> with CSS that could not be read'],
      ['<style>a{background:url("data:image/svg+xml,<svg/>")}</style>', 'a CSS url() that is a data: URL but not a PNG, JPEG, GIF or WebP image in a <style> element'],
      ['<style>a{background:url(%%CLICK_URL%%)}</style>', "a CSS url() that uses %%CLICK_URL%% (only a link's href may) in a <style> element"],
      // URLs in attributes however they are written
      ['<img src="https://cdn.example/a.png">', 'a src attribute on <img> that points to another server'],
      ['<IMG SRC = " //cdn.example/a.png ">', 'a src attribute on <img> that points to another server'],
      ['<img src="&#104;ttps://cdn.example/a.png">', 'a src attribute on <img> that points to another server'],
      ['<img src="&#x2F;&#x2F;cdn.example/a.png">', 'a src attribute on <img> that points to another server'],
      ['<img src="ht\ntps://cdn.example/a.png">', 'a src attribute on <img> that points to another server'],
      ['<img src="\\\\cdn.example/a.png">', 'a src attribute on <img> that points to another server'],
      ['<img src="/\\cdn.example/a.png">', 'a src attribute on <img> that points to another server'],
      [`<img src="${ORIGIN}.evil.example/a.png">`, 'a src attribute on <img> that points to another server'],
      [`<img src="${ORIGIN}@evil.example/a.png">`, 'a src attribute on <img> that points to another server'],
      ['<img src="javascript:alert(1)">', 'a src attribute on <img> that points to another server'],
      ['<img src="%%CLICK_URL%%">', "a src attribute on <img> with %%CLICK_URL%% (only a link's href may use it)"],
      ['<image src="//cdn.example/a.png">', 'a src attribute on <img> that points to another server'],
      ['<img srcset="/a.png 1x, https://cdn.example/b.png 2x">', 'a srcset attribute on <img> with a URL that points to another server'],
      ['<picture><source srcset="//cdn.example/b.png"></picture>', 'a srcset attribute on <source> with a URL that points to another server'],
      ['<a href="javascript:alert(1)">x</a>', 'a href attribute on <a> that is not %%CLICK_URL%% (links go through the counted click URL)'],
      ['<a href=" JaVaScRiPt:alert(1)">x</a>', 'a href attribute on <a> that is not %%CLICK_URL%% (links go through the counted click URL)'],
      ['<a href="https://shop.example/">x</a>', 'a href attribute on <a> that is not %%CLICK_URL%% (links go through the counted click URL)'],
      ['<a href="%%CLICK_URL%%" ping="https://tracker.example/p">x</a>', 'a ping attribute on <a>'],
      ['<img src="/a.png" onerror="fetch(1)">', 'an onerror attribute on <img>'],
      ['<table background="//cdn.example/bg.png"><tr><td>x</td></tr></table>', 'a background attribute on <table>'],
      ['<body background="//cdn.example/bg.png">', 'a background attribute on <body>'],
      ['<body onload="x()">', 'an onload attribute on <body>'],
      // SVG
      ['<svg><image href="https://cdn.example/a.png"/></svg>', 'an <image> element'],
      ['<svg><linearGradient xlink:href="https://cdn.example/g.svg#g"></linearGradient></svg>', 'a xlink:href attribute on <lineargradient>'],
      ['<svg><a xlink:href="https://evil.example/"><text>x</text></a></svg>', 'an <a> element'],
      ['<svg><use href="https://cdn.example/s.svg#x"/></svg>', 'a <use> element'],
      ['<svg><rect fill="url(https://cdn.example/p.svg#p)"/></svg>', 'a fill attribute on <rect> with a CSS url() that points to another server'],
      ['<svg><foreignObject><img src="/a.png"></foreignObject></svg>', 'a <foreignobject> element'],
      ['<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>', 'an <animate> element'],
      ['<math><mi>x</mi></math>', 'a <math> element'],
      // Elements that load, navigate or run something
      ['<script src="//cdn.example/x.js"></script>', 'a <script> element'],
      ['<script>fetch("https://tracker.example/p")</script>', 'a <script> element'],
      ['<SCRIPT>x</SCRIPT>', 'a <script> element'],
      ['<base href="https://cdn.example/">', 'a <base> element'],
      ['<meta http-equiv="refresh" content="0;url=https://x.example">', 'a <meta> element'],
      ['<link rel="stylesheet" href="https://cdn.example/a.css">', 'a <link> element'],
      ['<iframe src="data:text/html,<p>x</p>"></iframe>', 'an <iframe> element'],
      ['<object data="https://cdn.example/x.swf"></object>', 'an <object> element'],
      ['<embed src="https://cdn.example/x.swf">', 'an <embed> element'],
      ['<form action="https://evil.example/"><input name="q"></form>', 'a <form> element'],
      ['<button formaction="https://evil.example/">x</button>', 'a <button> element'],
      ['<video src="https://cdn.example/v.mp4"></video>', 'a <video> element'],
      ['<frameset><frame src="https://cdn.example/"></frameset>', 'a <frameset> element'],
      ['<template><img src="https://cdn.example/a.png"></template>', 'a <template> element'],
      ['<noscript><img src="https://cdn.example/a.png"></noscript>', 'a <noscript> element'],
      ['<x-y onclick="x()">x</x-y>', 'a <x-y> element'],
    ];
    for (const [html, found] of cases) expect(check(html), html).toBe(found);
  });

  it('treats the delivery origin as the only first-party server', () => {
    expect(findHtmlCreativeProblem(`<img src="${ORIGIN}/v1/assets/x">`, 'https://other.example')?.phrase).toBe('a src attribute on <img> that points to another server');
    expect(findHtmlCreativeProblem('<img src="http://ads.agency.example/a.png">', ORIGIN)?.phrase).toBe('a src attribute on <img> that points to another server');
  });

  it('names odd elements and attributes without echoing them, and survives deep nesting', () => {
    const long = 'x'.repeat(5000);
    expect(check(`<div ${long}="1">x</div>`)).toBe('an attribute with an unusual name on <div>');
    expect(check(`<${long}>x</${long}>`)).toBe('an element with an unusual name');
    expect(check(`<style>a{${long}:1}</style>`)).toBe('a CSS property with an unusual name in a <style> element');
    expect(check(`${'<div>'.repeat(12_000)}<img src="//cdn.example/a.png">`)).toBe('a src attribute on <img> that points to another server');
  });

  it('splits srcset as browsers do (commas inside data: URLs and descriptors)', () => {
    expect(srcsetUrls(`${PNG} 1x, /b.png 2x,/c.png, /d.png (a,b) 3x, ,`)).toEqual([PNG, '/b.png', '/c.png', '/d.png']);
    expect(srcsetUrls('/a.png,,//evil.example/b.png')).toEqual(['/a.png,,//evil.example/b.png']);
  });
});
