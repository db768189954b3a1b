import { createAppI18n } from './locale';
import { de } from './de';

export { LOCALES, formatLocale, type Locale } from './locale';

/** The console's i18n: German by default, English loaded when chosen. */
export const { i18n, setLocale, restoreLocale } = createAppI18n(de, () => import('./en').then((m) => m.en), 'creative-engine.locale');
