import type { parse as cssTreeParse, walk as cssTreeWalk } from 'css-tree';
// css-tree's main entry reads its lexer data at run time through createRequire, which the server
// bundle cannot carry; its parser and walker entries need no data, so only those are imported.
// @types/css-tree describes the main entry alone; these two are the same functions.
// @ts-expect-error -- untyped subpath entry, typed by the cast below
import parserEntry from 'css-tree/parser';
// @ts-expect-error -- untyped subpath entry, typed by the cast below
import walkerEntry from 'css-tree/walker';

/** css-tree's parser (decodes escapes in url() and strings). */
export const parseCss = parserEntry as typeof cssTreeParse;
/** css-tree's tree walker. */
export const walkCss = walkerEntry as typeof cssTreeWalk;
