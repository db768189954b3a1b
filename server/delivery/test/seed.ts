/**
 * Test fixture: seeds customers, sites, zones, campaigns and creatives with direct SQL (tests may
 * use SQL to set up and tamper with data), then asks the running app to rebuild its zone index.
 */
import { randomBytes } from 'node:crypto';
import { ID_PREFIXES, type IdKind } from '../../../common/schemas/ids';
import type { Targeting } from '../../../common/schemas/targeting';
import type { Db } from '../../store/database';
import type { TestApp } from '../../test/test-app';
import { REBUILD_DEBOUNCE_MS } from '../zone-index';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const DAY = 86_400_000;

/** A random id of the catalogue's shape (`zon_` + 16 base32 characters). */
export function testId(kind: IdKind): string {
  let out = `${ID_PREFIXES[kind]}_`;
  for (const b of randomBytes(16)) out += ALPHABET[b & 31];
  return out;
}

export interface CampaignSeed {
  status?: string;
  startsAt?: Date;
  endsAt?: Date;
  /** The goal's count, of kind `goalKind` (default impressions). */
  impressionGoal?: number | null;
  goalKind?: 'impressions' | 'viewable' | 'clicks';
  pacing?: 'even' | 'asap';
  dailyCap?: number | null;
  priority?: number;
  weight?: number;
  targeting?: Targeting | string;
  zoneIds?: string[];
  customerId?: string;
  exclusivityGroup?: string | null;
}

export interface CreativeSeed {
  width?: number;
  height?: number;
  html?: string;
  landingUrl?: string;
  alt?: string;
  status?: string;
}

/** Inserts catalogue rows; `now` anchors default flights (from a day ago to 30 days ahead). */
export class Seeder {
  constructor(readonly db: Db, readonly now: Date = new Date()) {}

  private get stamp() {
    return this.now.toISOString();
  }

  customer(status: 'active' | 'restricted' = 'active'): string {
    const id = testId('customer');
    this.db
      .prepare("INSERT INTO customers (id, name, email, kind, status, created_at, updated_at) VALUES (?, 'Test customer', 'c@example.test', 'both', ?, ?, ?)")
      .run(id, status, this.stamp, this.stamp);
    return id;
  }

  site(customerId: string): string {
    const id = testId('site');
    this.db.prepare("INSERT INTO sites (id, customer_id, name, domain, created_at, updated_at) VALUES (?, ?, 'Test site', 'pub.example', ?, ?)").run(id, customerId, this.stamp, this.stamp);
    return id;
  }

  zone(siteId: string, width = 300, height = 250): string {
    const id = testId('zone');
    this.db.prepare("INSERT INTO zones (id, site_id, name, width, height, created_at, updated_at) VALUES (?, ?, 'Test zone', ?, ?, ?, ?)").run(id, siteId, width, height, this.stamp, this.stamp);
    return id;
  }

  campaign(o: CampaignSeed = {}): string {
    const id = testId('campaign');
    const t = this.now.getTime();
    this.db
      .prepare(
        `INSERT INTO campaigns (id, customer_id, name, status, starts_at, ends_at, impression_goal, goal_kind, pacing, daily_cap, priority, weight, targeting, exclusivity_group, created_at, updated_at)
         VALUES (?, ?, 'Test campaign', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        o.customerId ?? this.customer(),
        o.status ?? 'active',
        (o.startsAt ?? new Date(t - DAY)).toISOString(),
        (o.endsAt ?? new Date(t + 30 * DAY)).toISOString(),
        o.impressionGoal ?? null,
        o.goalKind ?? 'impressions',
        o.pacing ?? 'even',
        o.dailyCap ?? null,
        o.priority ?? 5,
        o.weight ?? 1,
        typeof o.targeting === 'string' ? o.targeting : JSON.stringify(o.targeting ?? {}),
        o.exclusivityGroup ?? null,
        this.stamp,
        this.stamp,
      );
    for (const zoneId of o.zoneIds ?? []) this.db.prepare('INSERT INTO campaign_zones (campaign_id, zone_id) VALUES (?, ?)').run(id, zoneId);
    return id;
  }

  /** An image creative (backed by a stored asset) unless `html` is given. */
  creative(campaignId: string, o: CreativeSeed = {}): string {
    const id = testId('creative');
    let assetId: string | null = null;
    if (o.html === undefined) {
      assetId = testId('asset');
      const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
      this.db
        .prepare("INSERT INTO assets (id, content_type, sha256, size, width, height, bytes, created_at) VALUES (?, 'image/gif', 'x', ?, 1, 1, ?, ?)")
        .run(assetId, gif.length, gif, this.stamp);
    }
    this.db
      .prepare(
        `INSERT INTO creatives (id, campaign_id, name, width, height, asset_id, html, landing_url, alt, status, created_at, updated_at)
         VALUES (?, ?, 'Test creative', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, campaignId, o.width ?? 300, o.height ?? 250, assetId, o.html ?? null, o.landingUrl ?? 'https://advertiser.example/landing?x=1', o.alt ?? 'Test ad', o.status ?? 'active', this.stamp, this.stamp);
    return id;
  }

  /** A publisher with one site and one 300×250 zone. */
  placement(width = 300, height = 250): { customerId: string; siteId: string; zoneId: string } {
    const customerId = this.customer();
    const siteId = this.site(customerId);
    return { customerId, siteId, zoneId: this.zone(siteId, width, height) };
  }

  /** A zone with one active campaign and one image creative in it. */
  simple(campaign: CampaignSeed = {}, creative: CreativeSeed = {}) {
    const p = this.placement(creative.width ?? 300, creative.height ?? 250);
    const campaignId = this.campaign({ ...campaign, zoneIds: [p.zoneId, ...(campaign.zoneIds ?? [])] });
    const creativeId = this.creative(campaignId, creative);
    return { ...p, campaignId, creativeId };
  }
}

/** Tells the app that data changed and waits until the debounced rebuild has run (same process, ordered timers). */
export async function refreshIndex(app: TestApp): Promise<void> {
  app.ctx.events.emit('data-changed', { what: 'test' });
  await new Promise((r) => setTimeout(r, REBUILD_DEBOUNCE_MS + 30));
}

/** A controllable clock for startTestApp's `now` option. */
export function testClock(start: string | Date) {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (iso: string | Date) => void (t = new Date(iso).getTime()),
    advance: (ms: number) => void (t += ms),
  };
}

/** The JSON body of a fetch response, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (res: Response): Promise<any> => res.json() as Promise<any>;
