import { escapeHtml } from './markdown';
import { PAGE_NAMES, PAGE_PATHS, PAGES_CSS_PATH, PAGES_ICON_PATH, type PageLang, type PageName } from './page-paths';

/** The words of the page frame per language. */
const FRAME = {
  de: {
    pages: { privacy: 'Datenschutz', imprint: 'Impressum', contact: 'Kontakt' },
    account: 'Kundenkonto',
    other: 'English',
    nav: 'Seiten',
    template: (file: string) =>
      `Vorlage: Für diese Seite hat der Betreiber noch keinen eigenen Text hinterlegt (Datei pages/${file}.md oder .html im Datenverzeichnis). Die markierten Stellen [[…]] müssen ergänzt werden.`,
  },
  en: {
    pages: { privacy: 'Privacy', imprint: 'Imprint', contact: 'Contact' },
    account: 'Customer account',
    other: 'Deutsch',
    nav: 'Pages',
    template: (file: string) =>
      `Template: the operator has not yet provided their own text for this page (file pages/${file}.md or .html in the data directory). The marked parts [[…]] must be filled in.`,
  },
} as const;

const otherLang = (lang: PageLang): PageLang => (lang === 'de' ? 'en' : 'de');

/** A page's title in its language (the navigation's word for it). */
export const pageTitle = (name: PageName, lang: PageLang): string => FRAME[lang].pages[name];

/**
 * The whole HTML document of a public page: `main` is trusted HTML (rendered Markdown, the operator's
 * HTML or the contact form); `template` marks a default text the operator has not replaced yet.
 * No script, no inline style: the only resource is the same-origin stylesheet.
 */
export function renderPage(options: { name: PageName; lang: PageLang; main: string; template?: boolean }): string {
  const { name, lang, main } = options;
  const words = FRAME[lang];
  const other = otherLang(lang);
  const nav = PAGE_NAMES.map((page) => {
    const current = page === name ? ' aria-current="page"' : '';
    return `<a href="${PAGE_PATHS[page][lang]}"${current}>${escapeHtml(words.pages[page])}</a>`;
  }).join('\n      ');
  const notice = options.template ? `\n    <p class="template-notice" role="note">${escapeHtml(words.template(`${name}.${lang}`))}</p>` : '';
  return `<!doctype html>
<html lang="${lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(words.pages[name])}</title>
  <link rel="stylesheet" href="${PAGES_CSS_PATH}">
  <link rel="icon" href="${PAGES_ICON_PATH}" type="image/svg+xml">
  <link rel="alternate" hreflang="${other}" href="${PAGE_PATHS[name][other]}">
</head>
<body>
  <header>
    <nav aria-label="${words.nav}">
      ${nav}
      <a href="/">${escapeHtml(words.account)}</a>
      <a href="${PAGE_PATHS[name][other]}" hreflang="${other}" lang="${other}" class="lang">${escapeHtml(words.other)}</a>
    </nav>
  </header>
  <main>${notice}
${main}
  </main>
</body>
</html>
`;
}

/** The pages' stylesheet: system fonts, readable measure, nothing loaded from anywhere. */
export const PAGES_CSS = `:root { color-scheme: light dark; --fg: #1d2430; --bg: #fff; --muted: #5b6573; --accent: #1f5fbf; --error: #b3261e; --line: #d5d9e0; --note: #fff4d6; --ok: #e6f4e7; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ee; --bg: #14181f; --muted: #a3adbb; --accent: #8ab4ff; --error: #ffb4ab; --line: #333b48; --note: #3a3220; --ok: #1d3320; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { border-bottom: 1px solid var(--line); }
nav { max-width: 46rem; margin: 0 auto; padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
nav a { color: var(--fg); text-decoration: none; }
nav a[aria-current="page"] { font-weight: 600; border-bottom: 2px solid var(--accent); }
nav a.lang { margin-left: auto; color: var(--accent); }
main { max-width: 46rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
a { color: var(--accent); }
h1 { font-size: 1.8rem; line-height: 1.25; }
h2 { font-size: 1.3rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9em; }
pre { overflow-x: auto; padding: .75rem; border: 1px solid var(--line); }
blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 3px solid var(--line); color: var(--muted); }
hr { border: 0; border-top: 1px solid var(--line); margin: 2rem 0; }
.template-notice, .notice { background: var(--note); padding: .75rem 1rem; border-left: 4px solid #d9a300; }
.notice.success { border-left-color: #2e7d32; background: var(--ok); }
.notice.error, .field-error { color: var(--error); }
.notice.error { border-left-color: var(--error); }
form { display: grid; gap: 1rem; margin-top: 1.5rem; }
label { display: grid; gap: .3rem; font-weight: 600; }
input, select, textarea { font: inherit; font-weight: 400; padding: .5rem; border: 1px solid var(--line); border-radius: 4px; color: var(--fg); background: var(--bg); width: 100%; }
textarea { min-height: 10rem; resize: vertical; }
[aria-invalid="true"] { border-color: var(--error); }
.field-error { font-weight: 400; margin: 0; }
.hp { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
button { font: inherit; justify-self: start; padding: .55rem 1.4rem; border: 0; border-radius: 4px; background: var(--accent); color: var(--bg); cursor: pointer; }
.small { font-size: .9rem; color: var(--muted); }
`;

/** The pages' icon: a plain square with a page outline, no text, no external reference. */
export const PAGES_ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1f5fbf"/><path d="M10 7h9l5 5v13H10z" fill="#fff"/></svg>';
