/** Fewest enrolled approvers a key ceremony accepts (a quorum of one would be no quorum). */
export const CEREMONY_MIN_APPROVERS = 2;

/**
 * GET /api/setup-progress: how far an installation is set up, from real data, for the overview's
 * checklist. Counts, not lists: every signed-in role may read it. `latest` holds the newest of each
 * kind so the checklist can open the next step's form pre-filled (a zone for the newest site, …).
 */
export interface SetupProgress {
  customers: number;
  sites: number;
  zones: number;
  campaigns: number;
  creatives: number;
  /** Whether any ad was ever served (a zone's tag is in place and asks for ads). */
  tagServing: boolean;
  approversEnrolled: number;
  ceremonyDone: boolean;
  latest: {
    customerId: string | null;
    siteId: string | null;
    zoneId: string | null;
    /** The site of the newest zone (its page shows the zone's tag). */
    zoneSiteId: string | null;
    campaignId: string | null;
  };
}
