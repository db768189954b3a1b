import { parse, parseFragment, type DefaultTreeAdapterMap } from 'parse5';
import { CLICK_URL_MACRO } from '../../common/schemas/creative-html';
import { HTML_ELEMENTS, HTML_GLOBAL_ATTRIBUTES, SVG_CSS_ATTRIBUTES, SVG_ELEMENTS, SVG_GLOBAL_ATTRIBUTES } from './html-creative-allow-list';
import { findCssProblem, type UrlCheck } from './html-creative-css';

/**
 * The first line of defence for HTML creatives (the sandboxed iframe and its CSP are the second):
 * the markup is parsed as a browser parses it (parse5, entities decoded) and its CSS as a browser
 * reads it (css-tree, escapes decoded), then held against an allow-list of elements, attributes,
 * CSS properties, functions and at-rules. Everything an ad loads must come from the delivery
 * origin or be a data: image; links go to the counted click URL (%%CLICK_URL%%) only.
 * Runs on the server only, so the console's bundle carries neither parser.
 */

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const HTML_NS = 'http://www.w3.org/1999/xhtml';
const SVG_NS = 'http://www.w3.org/2000/svg';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
/** Elements every parsed document has; the creative may not give them attributes (`<body background=…>`). */
const DOCUMENT_ELEMENTS = new Set(['html', 'head', 'body']);
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp)[;,]/i;
const NAME = /^[a-z][a-z0-9:._-]{0,39}$/;
// The URL parser drops tabs and line breaks anywhere, and C0 controls and spaces at both ends.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const URL_TRIM = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
const SRCSET_SPACE = /[\t\n\f\r ]/;

const cleanUrl = (raw: string) => raw.replace(/[\t\n\r]/g, '').replace(URL_TRIM, '');
const article = (word: string) => (/^[aeio]/i.test(word) ? 'an' : 'a');
const elementLabel = (el: Element) => {
  const name = el.tagName.toLowerCase();
  return NAME.test(name) ? `<${name}>` : 'an element with an unusual name';
};
const attributeLabel = (name: string, el: Element) =>
  NAME.test(name) ? `${article(name)} ${name} attribute on ${elementLabel(el)}` : `an attribute with an unusual name on ${elementLabel(el)}`;

/**
 * What the check found: a phrase for the English message ("a src attribute on <img> that points to
 * another server") and, for other languages, where it is: the element and attribute names when
 * they are plain names (nothing else of the creative is repeated back).
 */
export interface HtmlProblem {
  phrase: string;
  element?: string;
  attribute?: string;
}

/**
 * The first thing in an HTML creative outside the allow-list, or null when the creative is fine.
 * `deliveryOrigin` is the delivery listener's origin, the one server an ad may load from.
 */
export function findHtmlCreativeProblem(html: string, deliveryOrigin: string): HtmlProblem | null {
  const checkUrl = resourceUrlCheck(deliveryOrigin);
  // Parsed both ways a creative is shown: inside <body> (iframe placement) and as a whole
  // document (the script tag's srcdoc frame), where e.g. <frameset> or <body onload> take effect.
  return walkTree(parseFragment(html), checkUrl, false) ?? walkTree(parse(`<!doctype html>${html}`), checkUrl, true);
}

/** Resources (img src, srcset, CSS url()) may come from the delivery origin or be data: images. */
function resourceUrlCheck(origin: string): UrlCheck {
  return (raw) => {
    const value = cleanUrl(raw);
    if (value.includes(CLICK_URL_MACRO)) return `uses ${CLICK_URL_MACRO} (only a link's href may)`;
    if (/^data:/i.test(value)) return DATA_IMAGE.test(value) ? null : 'is a data: URL but not a PNG, JPEG, GIF or WebP image';
    let url: URL;
    try {
      url = new URL(value, `${origin}/`);
    } catch {
      return 'is not a valid URL';
    }
    return url.origin === origin ? null : 'points to another server';
  };
}

function walkTree(root: Node, checkUrl: UrlCheck, whole: boolean): HtmlProblem | null {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ('tagName' in node) {
      const problem = elementProblem(node, checkUrl, whole);
      if (problem) return located(problem, node);
    }
    // Iterative and in document order: deep nesting cannot exhaust the call stack.
    if ('childNodes' in node) for (let i = node.childNodes.length - 1; i >= 0; i--) stack.push(node.childNodes[i]!);
  }
  return null;
}

/** The phrase with the element and attribute names it is about, when they are plain names. */
function located({ phrase, attribute }: { phrase: string; attribute?: string }, el: Element): HtmlProblem {
  const element = el.tagName.toLowerCase();
  return {
    phrase,
    ...(NAME.test(element) ? { element } : {}),
    ...(attribute !== undefined && NAME.test(attribute) ? { attribute } : {}),
  };
}

function elementProblem(el: Element, checkUrl: UrlCheck, whole: boolean): { phrase: string; attribute?: string } | null {
  const name = el.tagName.toLowerCase();
  const html = el.namespaceURI === HTML_NS;
  if (whole && html && DOCUMENT_ELEMENTS.has(name)) {
    const attr = el.attrs[0];
    return attr ? { phrase: attributeLabel(attr.name.toLowerCase(), el), attribute: attr.name.toLowerCase() } : null;
  }
  const allowed = html ? HTML_ELEMENTS.get(name) : el.namespaceURI === SVG_NS ? SVG_ELEMENTS.get(name) : undefined;
  if (!allowed) return { phrase: NAME.test(name) ? `${article(name)} <${name}> element` : 'an element with an unusual name' };
  for (const attr of el.attrs) {
    if (attr.namespace === XMLNS_NS || (attr.namespace === XML_NS && (attr.name === 'lang' || attr.name === 'space'))) continue;
    const attrName = (attr.prefix ? `${attr.prefix}:${attr.name}` : attr.name).toLowerCase();
    const global = html ? HTML_GLOBAL_ATTRIBUTES : SVG_GLOBAL_ATTRIBUTES;
    const known = !attr.namespace && (global.has(attrName) || allowed.has(attrName) || /^aria-[a-z]+$/.test(attrName) || (html && /^data-[a-z0-9_.-]+$/.test(attrName)));
    if (!known) return { phrase: attributeLabel(attrName, el), attribute: attrName };
    const problem = attributeValueProblem(name, html, attrName, attr.value, checkUrl);
    if (problem) return { phrase: `${attributeLabel(attrName, el)} ${problem}`, attribute: attrName };
  }
  if (name === 'style') {
    if (el.childNodes.some((child) => child.nodeName !== '#text')) return { phrase: 'markup inside a <style> element' };
    const css = el.childNodes.map((child) => ('value' in child ? child.value : '')).join('');
    const problem = findCssProblem(css, 'stylesheet', checkUrl);
    if (problem) return { phrase: `${problem} in a <style> element` };
  }
  return null;
}

/** Checks one allowed attribute's value; the phrase continues "a src attribute on <img> …". */
function attributeValueProblem(element: string, html: boolean, attr: string, value: string, checkUrl: UrlCheck): string | null {
  const css = (context: 'declarationList' | 'value') => {
    const problem = findCssProblem(value, context, checkUrl);
    return problem ? `with ${problem}` : null;
  };
  if (attr === 'style') return css('declarationList');
  if (!html) return SVG_CSS_ATTRIBUTES.has(attr) ? css('value') : null;
  if (element === 'a' && attr === 'href') {
    const href = cleanUrl(value);
    return href === CLICK_URL_MACRO || href.startsWith('#') ? null : `that is not ${CLICK_URL_MACRO} (links go through the counted click URL)`;
  }
  if (value.includes(CLICK_URL_MACRO)) return `with ${CLICK_URL_MACRO} (only a link's href may use it)`;
  if (attr === 'src') {
    const problem = checkUrl(value);
    return problem ? `that ${problem}` : null;
  }
  if (attr === 'srcset') {
    for (const url of srcsetUrls(value)) {
      const problem = checkUrl(url);
      if (problem) return `with a URL that ${problem}`;
    }
  }
  return null;
}

/** The URLs of a srcset value, split as the HTML standard's srcset parser splits them. */
export function srcsetUrls(value: string): string[] {
  const urls: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && (SRCSET_SPACE.test(value[i]!) || value[i] === ',')) i++;
    if (i >= value.length) break;
    const start = i;
    while (i < value.length && !SRCSET_SPACE.test(value[i]!)) i++;
    let url = value.slice(start, i);
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      // Descriptors ("2x", "300w") run to the next comma outside parentheses.
      let depth = 0;
      for (; i < value.length; i++) {
        const c = value[i];
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && depth === 0) break;
      }
    }
    urls.push(url);
  }
  return urls;
}
