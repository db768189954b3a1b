import type {
  CampaignDeliveryCheck,
  DeliveryCondition,
  DeliveryReason,
  ZoneCampaignCheck,
  ZoneDeliveryCheck,
} from '../../common/schemas/delivery-check';
import { countryCode } from '../../common/countries';
import type { Db } from '../store/database';
import { whyNot, type RequestFacts } from './decide';
import { DEVICE_BITS } from './device-class';
import type { CampaignRule, ZoneSnapshot } from './zone-snapshot';

interface CampaignFacts {
  id: string;
  name: string;
  status: string;
  startsAt: string;
  endsAt: string;
  priority: number;
  weight: number;
  customerStatus: string;
}

interface LinkedZone {
  id: string;
  name: string;
  width: number;
  height: number;
  servable: boolean;
  archived: boolean;
}

interface CreativeFacts {
  width: number;
  height: number;
  status: string;
}

/** What the check reads besides the zone index: the stored state the index leaves out (paused, restricted, unlinked). */
export class DeliveryCheckRepo {
  private readonly campaign;
  private readonly campaigns;
  private readonly zonesOf;
  private readonly creativesOf;
  private readonly zone;
  private readonly campaignsOfZone;

  constructor(db: Db) {
    const campaignColumns = `c.id AS id, c.name AS name, c.status AS status, c.starts_at AS startsAt, c.ends_at AS endsAt,
      c.priority AS priority, c.weight AS weight, cu.status AS customerStatus
      FROM campaigns c JOIN customers cu ON cu.id = c.customer_id`;
    this.campaign = db.prepare(`SELECT ${campaignColumns} WHERE c.id = ?`);
    this.campaigns = db.prepare(`SELECT ${campaignColumns} ORDER BY c.created_at DESC, c.id`);
    this.zonesOf = db.prepare(
      `SELECT z.id AS id, z.name AS name, z.width AS width, z.height AS height,
              (cu.status = 'active' AND z.archived_at IS NULL AND s.archived_at IS NULL) AS servable,
              (z.archived_at IS NOT NULL OR s.archived_at IS NOT NULL) AS archived
       FROM campaign_zones cz JOIN zones z ON z.id = cz.zone_id JOIN sites s ON s.id = z.site_id JOIN customers cu ON cu.id = s.customer_id
       WHERE cz.campaign_id = ? ORDER BY cz.rowid`,
    );
    // An archived creative counts as not active: it never serves.
    this.creativesOf = db.prepare("SELECT width, height, CASE WHEN archived_at IS NULL THEN status ELSE 'archived' END AS status FROM creatives WHERE campaign_id = ?");
    this.zone = db.prepare('SELECT id, name, width, height FROM zones WHERE id = ?');
    this.campaignsOfZone = db.prepare(`SELECT ${campaignColumns} WHERE c.id IN (SELECT campaign_id FROM campaign_zones WHERE zone_id = ?) ORDER BY c.priority DESC, c.id`);
  }

  campaignById(id: string): CampaignFacts | undefined {
    return this.campaign.get(id) as CampaignFacts | undefined;
  }

  allCampaigns(): CampaignFacts[] {
    return this.campaigns.all() as CampaignFacts[];
  }

  zonesOfCampaign(id: string): LinkedZone[] {
    return (this.zonesOf.all(id) as Array<Omit<LinkedZone, 'servable' | 'archived'> & { servable: number; archived: number }>).map((z) => ({
      ...z,
      servable: z.servable === 1,
      archived: z.archived === 1,
    }));
  }

  creativesOfCampaign(id: string): CreativeFacts[] {
    return this.creativesOf.all(id) as CreativeFacts[];
  }

  zoneById(id: string): { id: string; name: string; width: number; height: number } | undefined {
    return this.zone.get(id) as { id: string; name: string; width: number; height: number } | undefined;
  }

  campaignsInZone(zoneId: string): CampaignFacts[] {
    return this.campaignsOfZone.all(zoneId) as CampaignFacts[];
  }
}

/** The moment of the check in the targeting time zone. */
export interface CheckMoment {
  nowMs: number;
  hour: number;
  weekday: number;
}

const size = (w: number, h: number) => `${w}×${h}`;
const bitsToList = (mask: number, max: number) => Array.from({ length: max }, (_, i) => i).filter((i) => (mask & (1 << i)) !== 0);
const DEVICE_NAMES = Object.entries(DEVICE_BITS) as Array<[string, number]>;

/**
 * The most favourable request for a rule at this moment: one that carries a targeted keyword, device class and
 * country, without a visitor. Whatever whyNot still finds fails for every request now.
 */
function bestRequest(rule: CampaignRule, m: CheckMoment): RequestFacts {
  const t = rule.targeting;
  let country = 0;
  if (t.countries !== null) country = t.countries.indexOf(1);
  const firstKeyword = t.keywords === null ? null : [...t.keywords][0]!;
  return {
    keywords: firstKeyword === null ? null : [firstKeyword],
    device: t.devices === 0 ? DEVICE_BITS.desktop : t.devices & -t.devices,
    nowMs: m.nowMs,
    hour: m.hour,
    weekday: m.weekday,
    country: Math.max(country, 0),
    visitor: null,
  };
}

/** The request-dependent limits of a rule, said as conditions ("serves only to …"). */
function conditionsOf(rule: CampaignRule, m: CheckMoment): DeliveryCondition[] {
  const t = rule.targeting;
  const out: DeliveryCondition[] = [];
  if (t.keywords !== null) out.push({ which: 'keywords', values: [...t.keywords] });
  if (t.devices !== 0) out.push({ which: 'devices', values: DEVICE_NAMES.filter(([, bit]) => (t.devices & bit) !== 0).map(([name]) => name) });
  if (t.countries !== null) {
    const codes: string[] = [];
    t.countries.forEach((v, i) => {
      if (v === 1 && i > 0) codes.push(countryCode(i));
    });
    out.push({ which: 'countries', values: codes });
  }
  if (t.hours !== 0) out.push({ which: 'hours', values: bitsToList(t.hours, 24), matchesNow: (t.hours & (1 << m.hour)) !== 0 });
  if (t.weekdays !== 0) out.push({ which: 'weekdays', values: bitsToList(t.weekdays, 7), matchesNow: (t.weekdays & (1 << m.weekday)) !== 0 });
  return out;
}

/**
 * Checks one campaign against the stored state and the live zone index, in all its zones or only in `onlyZoneId`.
 * Reads counters, counts nothing: no visitor is probed, no decision is made.
 */
export function checkCampaign(repo: DeliveryCheckRepo, snapshot: ZoneSnapshot, c: CampaignFacts, m: CheckMoment, onlyZoneId?: string): CampaignDeliveryCheck {
  const reasons: DeliveryReason[] = [];
  const rule = snapshot.rules.get(c.id);
  if (c.customerStatus !== 'active') reasons.push({ code: 'customer_restricted', params: {} });
  if (c.status !== 'active') reasons.push({ code: 'not_active', params: { status: c.status } });
  if (!(Date.parse(c.endsAt) > m.nowMs)) reasons.push({ code: 'flight_ended', params: { endsAt: c.endsAt } });

  let zones = repo.zonesOfCampaign(c.id);
  if (onlyZoneId !== undefined) zones = zones.filter((z) => z.id === onlyZoneId);
  const servableZones = zones.filter((z) => z.servable);
  if (zones.length === 0) reasons.push({ code: 'no_zone', params: {} });
  else if (servableZones.length === 0) {
    const archived = zones.filter((z) => z.archived);
    if (archived.length === zones.length) reasons.push({ code: 'zone_archived', params: { zones: archived.map((z) => z.name) } });
    else reasons.push({ code: 'zone_site_restricted', params: { zones: zones.filter((z) => !z.archived).map((z) => z.name) } });
  }
  else {
    const active = repo.creativesOfCampaign(c.id).filter((cr) => cr.status === 'active');
    const fits = servableZones.some((z) => active.some((cr) => cr.width === z.width && cr.height === z.height));
    if (!fits) {
      reasons.push({
        code: 'no_active_creative_of_zone_size',
        params: { zoneSizes: [...new Set(servableZones.map((z) => size(z.width, z.height)))], creativeSizes: [...new Set(active.map((cr) => size(cr.width, cr.height)))] },
      });
    }
  }

  let conditions: DeliveryCondition[] = [];
  if (rule) {
    conditions = conditionsOf(rule, m);
    const failure = whyNot(rule, bestRequest(rule, m));
    if (failure) reasons.push(failure);
  } else if (reasons.length === 0) {
    // Active, in flight, linked and fitting, yet left out of the index: its stored settings are unreadable (see the server log).
    reasons.push({ code: 'invalid_settings', params: {} });
  }
  if (reasons.length === 0) {
    const inIndex = servableZones.some((z) => snapshot.zones.get(z.id)?.candidates.some((cand) => cand.rule.id === c.id));
    if (!inIndex) reasons.push({ code: 'no_servable_creative', params: {} });
  }
  return { campaignId: c.id, name: c.name, status: reasons.length === 0 ? 'delivering' : 'will_not_deliver', reasons, conditions, priority: c.priority, weight: c.weight };
}

/** Every campaign's check, for the console's list. */
export function checkAllCampaigns(repo: DeliveryCheckRepo, snapshot: ZoneSnapshot, m: CheckMoment): CampaignDeliveryCheck[] {
  return repo.allCampaigns().map((c) => checkCampaign(repo, snapshot, c, m));
}

/**
 * A zone's linked campaigns, each checked in this zone, and who would win now: the delivering campaigns of the
 * highest priority, by weight (request conditions aside). Null when the zone does not exist.
 */
export function checkZone(repo: DeliveryCheckRepo, snapshot: ZoneSnapshot, zoneId: string, m: CheckMoment): Omit<ZoneDeliveryCheck, 'checkedAt' | 'timeZone'> | null {
  const zone = repo.zoneById(zoneId);
  if (!zone) return null;
  const checks = repo.campaignsInZone(zoneId).map((c) => checkCampaign(repo, snapshot, c, m, zoneId));
  const delivering = checks.filter((c) => c.status === 'delivering');
  const top = delivering.reduce((p, c) => Math.max(p, c.priority), -Infinity);
  const winners = delivering.filter((c) => c.priority === top);
  const total = winners.reduce((sum, c) => sum + c.weight, 0);
  const campaigns: ZoneCampaignCheck[] = checks.map((c) => ({ ...c, chance: c.status === 'delivering' && c.priority === top ? c.weight / total : 0 }));
  return { zone, campaigns, winners: winners.map((c) => c.campaignId) };
}
