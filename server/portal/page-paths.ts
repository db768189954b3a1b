/** The public pages of the portal origin and their paths per language. */
export const PAGE_NAMES = ['privacy', 'imprint', 'contact'] as const;
export type PageName = (typeof PAGE_NAMES)[number];

export const PAGE_LANGS = ['de', 'en'] as const;
export type PageLang = (typeof PAGE_LANGS)[number];

/** German content under German paths, English under English ones. */
export const PAGE_PATHS: Record<PageName, Record<PageLang, string>> = {
  privacy: { de: '/datenschutz', en: '/privacy' },
  imprint: { de: '/impressum', en: '/imprint' },
  contact: { de: '/kontakt', en: '/contact' },
};

/** The pages' stylesheet (the pages' CSP allows styles from this origin only, no inline ones). */
export const PAGES_CSS_PATH = '/pages.css';

/** The pages' icon (linked explicitly, so browsers do not ask for a /favicon.ico the portal may not have). */
export const PAGES_ICON_PATH = '/pages-icon.svg';
