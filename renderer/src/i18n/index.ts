import { createI18n } from 'vue-i18n';
import { de, type Messages } from './de';

export const LOCALES = ['de', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const STORAGE_KEY = 'creative-engine.locale';

function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en' || v === 'de' ? v : 'de';
  } catch {
    return 'de';
  }
}

/** The console's i18n: German by default (always bundled, and the fallback), English loaded when chosen. */
export const i18n = createI18n<[Messages], Locale, false>({
  legacy: false,
  locale: 'de',
  fallbackLocale: 'de',
  messages: { de } as Record<Locale, Messages>,
  missingWarn: false,
  fallbackWarn: false,
});

async function ensureMessages(locale: Locale): Promise<void> {
  if (locale === 'en' && !i18n.global.availableLocales.includes('en')) {
    i18n.global.setLocaleMessage('en', (await import('./en')).en);
  }
}

/** Switches the language (loading its messages first), remembers it and updates `<html lang>`. */
export async function setLocale(locale: Locale, remember = true): Promise<void> {
  await ensureMessages(locale);
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  if (!remember) return;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private mode: the choice lasts for this window only.
  }
}

/** Applies the remembered language before the first render. */
export function restoreLocale(): Promise<void> {
  return setLocale(storedLocale(), false);
}

/**
 * The BCP 47 tag for Intl formatting: the browser's own regional variant when it speaks the chosen
 * language (en-US, de-AT …), else a sensible default.
 */
export function formatLocale(locale: Locale): string {
  const own = navigator.languages?.find((l) => l.toLowerCase().startsWith(locale));
  return own ?? (locale === 'de' ? 'de-DE' : 'en-GB');
}
