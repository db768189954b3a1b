import { createI18n } from 'vue-i18n';

/**
 * The language plumbing the console and the customer portal share: German by default (always
 * bundled, and the fallback), English loaded when chosen, the choice remembered per app.
 */
export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

// The page's one app registers its switch here, so shared components (LocaleSwitch) reach it.
let activeSetLocale: ((locale: Locale) => Promise<void>) | null = null;

/** Creates an app's i18n from its German messages and a loader of the English ones (same shape). */
export function createAppI18n<M extends Record<string, unknown>>(de: M, loadEn: () => Promise<M>, storageKey: string) {
  const i18n = createI18n<[M], Locale, false>({
    legacy: false,
    locale: 'de',
    fallbackLocale: 'de',
    messages: { de } as Record<Locale, M>,
    missingWarn: false,
    fallbackWarn: false,
  });

  function stored(): Locale {
    try {
      const v = localStorage.getItem(storageKey);
      return v === 'en' || v === 'de' ? v : 'de';
    } catch {
      return 'de';
    }
  }

  /** Switches the language (loading its messages first), remembers it and updates `<html lang>`. */
  async function setLocale(locale: Locale, remember = true): Promise<void> {
    if (locale === 'en' && !i18n.global.availableLocales.includes('en')) i18n.global.setLocaleMessage('en', await loadEn());
    i18n.global.locale.value = locale;
    document.documentElement.lang = locale;
    if (!remember) return;
    try {
      localStorage.setItem(storageKey, locale);
    } catch {
      // Private mode: the choice lasts for this window only.
    }
  }

  activeSetLocale = setLocale;
  /** Applies the remembered language before the first render. */
  const restoreLocale = () => setLocale(stored(), false);
  return { i18n, setLocale, restoreLocale };
}

/** Switches the language of the app on this page. */
export function switchLocale(locale: Locale): Promise<void> {
  return activeSetLocale ? activeSetLocale(locale) : Promise.resolve();
}

/**
 * The BCP 47 tag for Intl formatting: the browser's own regional variant when it speaks the chosen
 * language (en-US, de-AT …), else a sensible default.
 */
export function formatLocale(locale: Locale): string {
  const own = navigator.languages?.find((l) => l.toLowerCase().startsWith(locale));
  return own ?? (locale === 'de' ? 'de-DE' : 'en-GB');
}
