import type { CssNode, WalkContext } from 'css-tree';
import { parseCss, walkCss } from './css-tree-entries';
import { CSS_AT_RULES, CSS_FUNCTIONS, CSS_PROPERTIES, CSS_URL_FUNCTIONS } from './html-creative-allow-list';

/** Where CSS comes from: a <style> element, a style attribute, or one attribute value (SVG fill). */
export type CssContext = 'stylesheet' | 'declarationList' | 'value';

/** Says what is wrong with a URL an ad would load ("points to another server"), or null when it may load. */
export type UrlCheck = (url: string) => string | null;

const NAME = /^-?[a-z][a-z0-9-]{0,39}$/;
/** A CSS name for a message: as written when it is a plain name, else only that it is unusual (never echo input). */
const shown = (name: string, prefix = '') => (NAME.test(name.toLowerCase()) ? `${prefix}${name.toLowerCase()}` : null);

/**
 * The first thing in `css` outside the allow-list, as a phrase ("the CSS property behavior",
 * "a CSS url() that points to another server"), or null. css-tree decodes escapes in url() and
 * strings, so `url(ht\74ps://…)` is checked as the https URL a browser would load; names keep
 * their escapes and so never match the allow-list (`@\69mport` is refused like @import).
 */
export function findCssProblem(css: string, context: CssContext, checkUrl: UrlCheck): string | null {
  let unreadable = false;
  let ast: CssNode;
  try {
    ast = parseCss(css, { context, positions: false, onParseError: () => void (unreadable = true) });
  } catch {
    return 'CSS that could not be read';
  }
  if (unreadable) return 'CSS that could not be read';
  let problem: string | null = null;
  walkCss(ast, function (this: WalkContext, node: CssNode) {
    problem = nodeProblem(node, this, checkUrl);
    if (problem) return walkCss.break;
    return undefined;
  });
  return problem;
}

function nodeProblem(node: CssNode, at: WalkContext, checkUrl: UrlCheck): string | null {
  switch (node.type) {
    case 'Raw':
      // What css-tree could not structure (custom property values, broken tokens) could hide a url().
      return 'CSS that could not be read';
    case 'Atrule': {
      if (CSS_AT_RULES.has(node.name.toLowerCase())) return null;
      const name = shown(node.name, '@');
      return name ? `the CSS at-rule ${name}` : 'a CSS at-rule with an unusual name';
    }
    case 'Declaration': {
      const property = node.property.toLowerCase();
      if (property.startsWith('--')) return 'a CSS custom property';
      if (CSS_PROPERTIES.has(property)) return null;
      const name = shown(node.property);
      return name ? `the CSS property ${name}` : 'a CSS property with an unusual name';
    }
    case 'Function': {
      if (CSS_FUNCTIONS.has(node.name.toLowerCase())) return null;
      const name = shown(node.name);
      return name ? `the CSS function ${name}()` : 'a CSS function with an unusual name';
    }
    case 'Url': {
      const problem = checkUrl(node.value);
      return problem ? `a CSS url() that ${problem}` : null;
    }
    case 'String': {
      // Strings are text (content, font names) except as arguments of image-set().
      const fn = at.function;
      if (!fn || fn.type !== 'Function' || !CSS_URL_FUNCTIONS.has(fn.name.toLowerCase())) return null;
      const problem = checkUrl(node.value);
      return problem ? `a URL in CSS ${fn.name.toLowerCase()}() that ${problem}` : null;
    }
    default:
      return null;
  }
}
