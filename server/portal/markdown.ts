/**
 * A small, safe Markdown subset for the operator's public pages (privacy statement, imprint):
 * ATX headings, paragraphs, emphasis, bullet and numbered lists, block quotes, links, inline and
 * fenced code, horizontal rules and hard line breaks. Everything else is text: every `<`, `>`, `&`
 * and quote is escaped, raw HTML is never passed through, and links go only to http(s), mailto or
 * a path on this site. The output never contains a script, an event handler or a style attribute,
 * so it is safe under the pages' strict CSP and needs no sanitiser afterwards.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and (double- or single-quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Link targets the pages allow: http(s) and mailto URLs, or a path on this site (`/…`, not `//…`). */
export function safeHref(raw: string): string | null {
  const href = raw.trim();
  // Control characters and spaces can hide a scheme from a naive check; refuse them outright.
  if (!href || [...href].some((c) => c.charCodeAt(0) <= 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f))) return null;
  if (href.startsWith('/') && !href.startsWith('//') && !href.startsWith('/\\')) return href;
  if (href.startsWith('#')) return href;
  if (/^mailto:[^\s]+$/i.test(href)) return href;
  if (/^https?:\/\//i.test(href)) {
    try {
      const url = new URL(href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? href : null;
    } catch {
      return null;
    }
  }
  return null;
}

/** Characters a backslash may escape (CommonMark's ASCII punctuation). */
const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
/** `[text](target "title")`; the target may hold one level of balanced parentheses. */
const LINK = /^\[([^\]\n]*)\]\(\s*<?((?:[^()\s<>]|\([^()\s<>]*\))*)>?(?:\s+"[^"\n]*")?\s*\)/;
const AUTOLINK = /^<((?:https?:\/\/|mailto:)[^\s<>]+)>/i;

/** Renders inline Markdown (code, links, emphasis, escapes, line breaks) as escaped HTML. */
export function renderInline(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    const rest = src.slice(i);
    if (ch === '\\' && i + 1 < src.length) {
      if (src[i + 1] === '\n') {
        out += '<br>\n';
        i += 2;
        continue;
      }
      if (ESCAPABLE.test(src[i + 1]!)) {
        out += escapeHtml(src[i + 1]!);
        i += 2;
        continue;
      }
    }
    if (ch === '`') {
      const ticks = /^`+/.exec(rest)![0];
      const end = src.indexOf(ticks, i + ticks.length);
      if (end !== -1) {
        out += `<code>${escapeHtml(src.slice(i + ticks.length, end).replace(/\n/g, ' ').trim())}</code>`;
        i = end + ticks.length;
        continue;
      }
      out += escapeHtml(ticks);
      i += ticks.length;
      continue;
    }
    if (ch === '[') {
      const m = LINK.exec(rest);
      if (m) {
        const href = safeHref(m[2]!);
        const text = renderInline(m[1]!);
        out += href ? `<a href="${escapeHtml(href)}">${text}</a>` : text;
        i += m[0].length;
        continue;
      }
    }
    if (ch === '<') {
      const m = AUTOLINK.exec(rest);
      const href = m && safeHref(m[1]!);
      if (m && href) {
        out += `<a href="${escapeHtml(href)}">${escapeHtml(m[1]!)}</a>`;
        i += m[0].length;
        continue;
      }
    }
    if (ch === '*' || ch === '_') {
      const emphasis = matchEmphasis(src, i, ch);
      if (emphasis) {
        const tag = emphasis.strong ? 'strong' : 'em';
        out += `<${tag}>${renderInline(emphasis.inner)}</${tag}>`;
        i = emphasis.next;
        continue;
      }
    }
    if (ch === '\n') {
      // Two trailing spaces before a newline make a hard break; other newlines stay soft.
      if (out.endsWith('  ')) out = `${out.trimEnd()}<br>`;
      out += '\n';
      i++;
      continue;
    }
    out += escapeHtml(ch);
    i++;
  }
  return out;
}

/** `**strong**`, `__strong__`, `*em*`, `_em_`: the closing marker must follow non-space text; `_` only between words. */
function matchEmphasis(src: string, i: number, ch: '*' | '_'): { strong: boolean; inner: string; next: number } | null {
  const strong = src[i + 1] === ch;
  const marker = strong ? ch + ch : ch;
  const start = i + marker.length;
  const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  if (ch === '_' && isWordChar(src[i - 1])) return null;
  if (start >= src.length || /\s/.test(src[start]!)) return null;
  let end = start + 1;
  while ((end = src.indexOf(marker, end)) !== -1) {
    // A single marker must not close on half of a double one (`*a **b** c*` closes at the last `*`).
    const partOfDouble = !strong && src[end + 1] === ch;
    const closes = !/\s/.test(src[end - 1]!) && !partOfDouble && !(ch === '_' && isWordChar(src[end + marker.length]));
    if (closes) return { strong, inner: src.slice(start, end), next: end + marker.length };
    end += partOfDouble ? 2 : 1;
  }
  return null;
}

const HEADING = /^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BULLET = /^ {0,3}[-*+][ \t]+/;
const NUMBERED = /^ {0,3}(\d{1,9})[.)][ \t]+/;
const QUOTE = /^ {0,3}>[ \t]?/;

/** Renders a Markdown document of the safe subset as HTML. Headings are shifted by `headingOffset` (the page has its own h1). */
export function renderMarkdown(markdown: string, options: { headingOffset?: number } = {}): string {
  const lines = markdown.replace(/\r\n?/g, '\n').replaceAll('\u0000', '\uFFFD').split('\n');
  return renderBlocks(lines, options.headingOffset ?? 0);
}

function renderBlocks(lines: string[], headingOffset: number): string {
  const out: string[] = [];
  let i = 0;
  const isBlank = (line: string | undefined) => line === undefined || line.trim() === '';
  const startsBlock = (line: string) => HEADING.test(line) || RULE.test(line) || FENCE.test(line) || BULLET.test(line) || NUMBERED.test(line) || QUOTE.test(line);

  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const closing = fence[1]!;
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trimStart().startsWith(closing)) body.push(lines[i++]!);
      i++;
      out.push(`<pre><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1]!.length + headingOffset);
      out.push(`<h${level}>${renderInline(heading[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const body: string[] = [];
      while (i < lines.length && !isBlank(lines[i]) && (QUOTE.test(lines[i]!) || !startsBlock(lines[i]!))) body.push(lines[i++]!.replace(QUOTE, ''));
      out.push(`<blockquote>\n${renderBlocks(body, headingOffset)}\n</blockquote>`);
      continue;
    }
    const numbered = NUMBERED.exec(line);
    if (numbered || BULLET.test(line)) {
      const marker = numbered ? NUMBERED : BULLET;
      const items: string[][] = [];
      while (i < lines.length) {
        const current = lines[i]!;
        if (marker.test(current)) items.push([current.replace(marker, '')]);
        else if (!isBlank(current) && !startsBlock(current) && items.length) items[items.length - 1]!.push(current.trim());
        else if (isBlank(current) && i + 1 < lines.length && marker.test(lines[i + 1]!)) {
          // A blank line between items keeps the list going.
        } else break;
        i++;
      }
      const tag = numbered ? 'ol' : 'ul';
      const start = numbered && numbered[1] !== '1' ? ` start="${Number(numbered[1])}"` : '';
      out.push(`<${tag}${start}>\n${items.map((item) => `<li>${renderInline(item.join('\n'))}</li>`).join('\n')}\n</${tag}>`);
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && !isBlank(lines[i]) && (paragraph.length === 0 || !startsBlock(lines[i]!))) paragraph.push(lines[i++]!.replace(/^[ \t]+/, ''));
    out.push(`<p>${renderInline(paragraph.join('\n'))}</p>`);
  }
  return out.join('\n');
}
