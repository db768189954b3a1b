import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { formatLocale, type Locale } from '../i18n/locale';
import { operatorTimeZone } from './operator-zone';

/** Number, percent and date formatters in the user's locale; they follow a language switch. Times and dates are shown in the operator time zone. */
export function useFormat() {
  const { locale } = useI18n();
  const tag = computed(() => formatLocale(locale.value as Locale));
  const num = computed(() => new Intl.NumberFormat(tag.value));
  const pct = computed(() => new Intl.NumberFormat(tag.value, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  const eur = computed(() => new Intl.NumberFormat(tag.value, { style: 'currency', currency: 'EUR' }));
  const timeZone = computed(() => operatorTimeZone.value);
  const date = computed(() => new Intl.DateTimeFormat(tag.value, { dateStyle: 'medium', timeZone: timeZone.value }));
  const dateTime = computed(() => new Intl.DateTimeFormat(tag.value, { dateStyle: 'medium', timeStyle: 'short', timeZone: timeZone.value }));
  const hour = computed(() => new Intl.DateTimeFormat(tag.value, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: timeZone.value }));
  const toDate = (v: string | number | Date) => (v instanceof Date ? v : new Date(v));
  return {
    tag,
    /** The zone times are shown in (for labels such as „Heute (Europe/Berlin)“). */
    timeZone,
    number: (n: number | null | undefined) => (n == null ? '–' : num.value.format(n)),
    /** EUR, to the cent. */
    euro: (n: number | null | undefined) => (n == null ? '–' : eur.value.format(n)),
    percent: (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? '–' : pct.value.format(n)),
    date: (v: string | number | Date | null | undefined) => (v == null ? '–' : date.value.format(toDate(v))),
    dateTime: (v: string | number | Date | null | undefined) => (v == null ? '–' : dateTime.value.format(toDate(v))),
    hour: (v: string | number | Date) => hour.value.format(toDate(v)),
  };
}
