import type { StatsCounters } from '../stats/stats-counters';
import type { CampaignRows, DeliverySnapshot, ZoneRow } from './delivery-snapshot-repo';
import { addCampaignCandidates, buildRule, byRank, clickTarget, zoneEntry, type BuildTools, type CampaignRule, type Candidate, type ClickTarget, type WarnOnce, type ZoneEntry, type ZoneSnapshot } from './zone-snapshot';

const NONE: CampaignRows = { campaign: null, zoneIds: [], creatives: [] };

/**
 * The rows the index was built from, kept by campaign so that one campaign's rows can be replaced
 * after a change to it (and the index rebuilt from memory for another base URL).
 */
export class CatalogueRows {
  readonly zones: ReadonlyMap<string, ZoneRow>;
  private readonly byCampaign = new Map<string, CampaignRows>();

  constructor(data: DeliverySnapshot) {
    this.zones = new Map(data.zones.map((z) => [z.id, z]));
    const of = (id: string) => {
      let rows = this.byCampaign.get(id);
      if (!rows) this.byCampaign.set(id, (rows = { campaign: null, zoneIds: [], creatives: [] }));
      return rows;
    };
    for (const c of data.campaigns) of(c.id).campaign = c;
    // The zone's own id string, not a copy per link (100,000 links in a large catalogue).
    for (const l of data.links) of(l.campaignId).zoneIds.push(this.zones.get(l.zoneId)?.id ?? l.zoneId);
    for (const cr of data.creatives) of(cr.campaignId).creatives.push(cr);
  }

  /** A campaign's rows as last read (empty when it has none). */
  get(campaignId: string): CampaignRows {
    return this.byCampaign.get(campaignId) ?? NONE;
  }

  /** Replaces some campaigns' rows with fresh ones. */
  replace(changed: ReadonlyMap<string, CampaignRows>): void {
    for (const [id, rows] of changed) {
      if (rows.campaign === null && rows.creatives.length === 0) this.byCampaign.delete(id);
      else this.byCampaign.set(id, rows);
    }
  }

  /** Whether `other` holds the same zones with the same settings (then only campaigns can differ). */
  sameZones(other: CatalogueRows): boolean {
    if (other.zones.size !== this.zones.size) return false;
    for (const [id, z] of other.zones) {
      const mine = this.zones.get(id);
      if (!mine || !shallowEqual(mine, z)) return false;
    }
    return true;
  }

  /** The campaigns whose rows differ between this and `other`. */
  changedCampaigns(other: CatalogueRows): Set<string> {
    const changed = new Set<string>();
    for (const [id, rows] of other.byCampaign) if (!sameRows(this.get(id), rows)) changed.add(id);
    for (const id of this.byCampaign.keys()) if (!other.byCampaign.has(id)) changed.add(id);
    return changed;
  }

  /** All rows in the shape the repository reads them. */
  snapshot(): DeliverySnapshot {
    const data: DeliverySnapshot = { zones: [...this.zones.values()], campaigns: [], links: [], creatives: [] };
    for (const [campaignId, rows] of this.byCampaign) {
      if (rows.campaign) data.campaigns.push(rows.campaign);
      for (const zoneId of rows.zoneIds) data.links.push({ campaignId, zoneId });
      data.creatives.push(...rows.creatives);
    }
    return data;
  }
}

function shallowEqual(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (x[k] !== y[k]) return false;
  return true;
}

/** Whether two reads of one campaign hold the same rows (links and creatives in any order). */
function sameRows(a: CampaignRows, b: CampaignRows): boolean {
  if ((a.campaign === null) !== (b.campaign === null) || (a.campaign && b.campaign && !shallowEqual(a.campaign, b.campaign))) return false;
  if (a.zoneIds.length !== b.zoneIds.length || a.creatives.length !== b.creatives.length) return false;
  if (a.zoneIds.some((z, i) => b.zoneIds[i] !== z)) {
    const zones = new Set(a.zoneIds);
    if (!b.zoneIds.every((z) => zones.has(z))) return false;
  }
  return a.creatives.every((cr, i) => {
    const other = b.creatives[i]!.id === cr.id ? b.creatives[i]! : b.creatives.find((x) => x.id === cr.id);
    return other !== undefined && shallowEqual(cr, other);
  });
}

/**
 * The index after some campaigns changed, from the previous one: their rules and click targets
 * replaced, and only the zones they were or are now linked to rebuilt. `prev` is not touched (a
 * request holding it keeps a consistent view); unchanged zones and candidates are shared. The
 * result equals buildSnapshot over the new rows built at the same time (test/zone-index-update.test.ts).
 */
export function updateSnapshot(
  prev: ZoneSnapshot,
  zones: ReadonlyMap<string, ZoneRow>,
  before: (campaignId: string) => CampaignRows,
  after: ReadonlyMap<string, CampaignRows>,
  nowMs: number,
  counters: StatsCounters,
  warn: WarnOnce,
): ZoneSnapshot {
  const rules = new Map<string, CampaignRule>(prev.rules);
  const creatives = new Map<string, ClickTarget>(prev.creatives);
  const touched = new Set<string>();
  for (const [id, rows] of after) {
    const old = before(id);
    for (const cr of old.creatives) creatives.delete(cr.id);
    for (const zoneId of old.zoneIds) touched.add(zoneId);
    for (const zoneId of rows.zoneIds) touched.add(zoneId);
    for (const cr of rows.creatives) {
      const target = clickTarget(cr, warn);
      if (target) creatives.set(cr.id, target);
    }
    const rule = rows.campaign ? buildRule(rows.campaign, nowMs, counters, warn) : null;
    if (rule) rules.set(id, rule);
    else rules.delete(id);
  }

  const tools: BuildTools = { baseUrl: prev.baseUrl, warn, shared: new Map() };
  const next = new Map<string, ZoneEntry>(prev.zones);
  for (const zoneId of touched) {
    const z = zones.get(zoneId);
    const entry = prev.zones.get(zoneId);
    // A link to a zone the last full read did not see: the zone's own change brings a full rebuild.
    if (!z || !entry) continue;
    const candidates: Candidate[] = entry.candidates.filter((c) => !after.has(c.rule.id));
    if (z.servable) {
      for (const [id, rows] of after) {
        const rule = rules.get(id);
        if (!rule || !rows.zoneIds.includes(zoneId)) continue;
        const servable = rows.creatives.filter((cr) => cr.servable && creatives.has(cr.id));
        addCampaignCandidates(candidates, z, rule, servable, tools);
      }
      candidates.sort(byRank);
    }
    next.set(zoneId, zoneEntry(z, candidates));
  }
  return { zones: next, creatives, rules, baseUrl: prev.baseUrl };
}
