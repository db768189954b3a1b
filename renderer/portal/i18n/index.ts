import { createAppI18n } from '../../src/i18n/locale';
import { de } from './de';

/** The portal's i18n: German by default, English loaded when chosen (remembered apart from the console's choice). */
export const { i18n, setLocale, restoreLocale } = createAppI18n(de, () => import('./en').then((m) => m.en), 'creative-engine.portal.locale');
