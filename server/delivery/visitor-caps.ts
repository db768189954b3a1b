import type { DailyVisitorKey } from './daily-visitor-key';

/** Most (campaign, visitor) counts kept per day (≈ 60–80 bytes each: well under 100 MB). */
export const VISITOR_CAP_MAX_ENTRIES = 1_000_000;

/**
 * Served decisions per campaign and visitor hash today, for campaigns' "at most N per visitor and
 * day". In memory only and wiped whenever the daily key is replaced, so no count outlives the day
 * its hashes belong to. When the table is full a visitor not yet in it is served (fail open: the
 * cap is a courtesy to the visitor, not a billing rule) and the overflow is counted.
 */
export class VisitorCaps {
  private readonly byCampaign = new Map<string, Map<string, number>>();
  private entries = 0;
  /** Served decisions that could not be counted because the table was full (since start). */
  overflows = 0;

  constructor(readonly maxEntries = VISITOR_CAP_MAX_ENTRIES) {}

  /** How often `visitor` was served `campaignId` today. */
  count(campaignId: string, visitor: string): number {
    return this.byCampaign.get(campaignId)?.get(visitor) ?? 0;
  }

  /** Counts one served decision. */
  add(campaignId: string, visitor: string): void {
    let m = this.byCampaign.get(campaignId);
    const n = m?.get(visitor);
    if (n !== undefined) {
      m!.set(visitor, n + 1);
      return;
    }
    if (this.entries >= this.maxEntries) {
      this.overflows++;
      return;
    }
    if (!m) this.byCampaign.set(campaignId, (m = new Map()));
    m.set(visitor, 1);
    this.entries++;
  }

  /** (campaign, visitor) pairs counted today. */
  get size(): number {
    return this.entries;
  }

  /** Forgets every count (the day's key is gone, so are its hashes). */
  wipe(): void {
    this.byCampaign.clear();
    this.entries = 0;
  }
}

/**
 * The visitor of the request being decided, hashed only when a capped campaign asks (at most
 * once per request and site). One instance per delivery service, reset by `begin`: decisions are
 * synchronous, so no request sees another's state, and nothing is allocated per request.
 */
export class VisitorProbe {
  private address = '';
  private userAgent: string | undefined;
  private siteId = '';
  private nowMs = 0;
  private hash: string | null = null;

  constructor(
    private readonly key: DailyVisitorKey,
    readonly caps: VisitorCaps,
  ) {}

  /** Starts a request's visitor (nothing is hashed yet). */
  begin(address: string, userAgent: string | undefined, siteId: string, nowMs: number): this {
    this.address = address;
    this.userAgent = userAgent;
    this.siteId = siteId;
    this.nowMs = nowMs;
    this.hash = null;
    return this;
  }

  /** Switches to another site of the same page's request (the hash includes the site). */
  site(siteId: string): this {
    if (siteId !== this.siteId) {
      this.siteId = siteId;
      this.hash = null;
    }
    return this;
  }

  /** Whether the visitor may see the campaign once more today under a cap of `cap`. */
  allows(campaignId: string, cap: number): boolean {
    return this.caps.count(campaignId, this.visitor()) < cap;
  }

  /** Counts a served decision of a capped campaign. */
  served(campaignId: string): void {
    this.caps.add(campaignId, this.visitor());
  }

  /** Forgets the request's address and user agent once it is decided. */
  end(): void {
    this.address = '';
    this.userAgent = undefined;
    this.hash = null;
  }

  private visitor(): string {
    return (this.hash ??= this.key.hash(this.nowMs, this.address, this.userAgent, this.siteId));
  }
}
