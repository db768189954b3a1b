/**
 * Wire type of `GET /api/zones/:id/preview`: what a zone would show now for a keyword set (and device and
 * country), chosen by the delivery's own rules, counting nothing. `&format=html&creative=ID` returns that
 * creative's ad document, rendered as the iframe placement renders it but without pixels or tokens.
 */

/** One campaign's creative that may be chosen for the request, with its chance (highest priority first, by weight). */
export interface PreviewCandidate {
  campaignId: string;
  campaignName: string;
  creativeId: string;
  width: number;
  height: number;
  alt: string;
  landingUrl: string;
  /** 0–1: its share of the draw among the eligible candidates of the highest priority; 0 for lower priorities. */
  chance: number;
}

export interface ZonePreview {
  zone: { id: string; name: string; width: number; height: number };
  keywords: string[];
  device: string;
  country: string;
  /** The draw made now by the delivery's rules; null when nothing is eligible (the zone would stay empty). */
  chosen: PreviewCandidate | null;
  /** Every candidate eligible for this request. */
  eligible: PreviewCandidate[];
  /** Candidates in the zone that this request leaves out (targeting, flight, caps, goals). */
  ineligible: number;
  /** The ad document of `chosen` on this listener (relative URL), for an <iframe>; null with nothing chosen. */
  pageUrl: string | null;
  checkedAt: string;
}
