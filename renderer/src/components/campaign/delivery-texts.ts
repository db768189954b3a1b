import type { DeliveryCondition, DeliveryParam, DeliveryReason } from '../../../../common/schemas/delivery-check';
import type { useFormat } from '../../composables/use-format';

type Translate = (key: string, named?: Record<string, unknown>) => string;
type Format = ReturnType<typeof useFormat>;

const list = (v: DeliveryParam | undefined) => (Array.isArray(v) ? v.join(', ') : String(v ?? ''));

/** A reason of the delivery check in the console's language, its parameters formatted (dates, statuses, goal kinds). */
export function reasonText(t: Translate, f: Format, r: DeliveryReason): string {
  const p = r.params;
  switch (r.code) {
    case 'not_active':
      return t('delivery.reasons.not_active', { status: t(`campaigns.statuses.${String(p.status)}`) });
    case 'flight_ended':
      return t('delivery.reasons.flight_ended', { endsAt: f.dateTime(String(p.endsAt)) });
    case 'flight_not_started':
      return t('delivery.reasons.flight_not_started', { startsAt: f.dateTime(String(p.startsAt)) });
    case 'zone_site_restricted':
      return t('delivery.reasons.zone_site_restricted', { zones: list(p.zones) });
    case 'zone_archived':
      return t('delivery.reasons.zone_archived', { zones: list(p.zones) });
    case 'no_active_creative_of_zone_size':
      return t(list(p.creativeSizes) ? 'delivery.reasons.no_active_creative_of_zone_size' : 'delivery.reasons.no_active_creative', {
        zoneSizes: list(p.zoneSizes),
        creativeSizes: list(p.creativeSizes),
      });
    case 'targeting':
      if (p.which === 'hours') return t('delivery.reasons.targeting_hours', { hour: String(p.hour) });
      if (p.which === 'weekdays') return t('delivery.reasons.targeting_weekdays', { weekday: t(`weekdays.d${String(p.weekday)}`) });
      return t('delivery.reasons.targeting_other', { which: t(`fields.${String(p.which)}`) });
    case 'daily_cap_reached':
      return t('delivery.reasons.daily_cap_reached', { servedToday: f.number(Number(p.servedToday)), cap: f.number(Number(p.cap)) });
    case 'goal_reached':
    case 'pacing_ahead':
      return t(`delivery.reasons.${r.code}`, {
        done: f.number(Number(p.done)),
        goal: f.number(Number(p.goal)),
        allowedNow: f.number(Number(p.allowedNow)),
        kind: t(`campaigns.goalKinds.${String(p.kind)}`),
      });
    case 'visitor_cap_reached':
      return t('delivery.reasons.visitor_cap_reached', { cap: f.number(Number(p.cap)) });
    default:
      return t(`delivery.reasons.${r.code}`);
  }
}

/** A request-dependent limit ("serves only …") in the console's language. */
export function conditionText(t: Translate, c: DeliveryCondition): string {
  let values: string;
  if (c.which === 'devices') values = c.values.map((d) => t(`devices.${String(d)}`)).join(', ');
  else if (c.which === 'weekdays') values = c.values.map((d) => t(`weekdays.d${String(d)}`)).join(', ');
  else if (c.which === 'hours') values = c.values.map((h) => `${String(h)}:00`).join(', ');
  else values = c.values.join(', ');
  return t(`delivery.conditions.${c.which}`, { values });
}
