import type { RouteLocationRaw } from 'vue-router';
import { CEREMONY_MIN_APPROVERS, type SetupProgress } from '../../../../common/schemas/setup-progress';
import type { Area } from '../../access';

export type SetupStepKey = 'customer' | 'site' | 'zone' | 'campaign' | 'creative' | 'tag' | 'approvers' | 'ceremony';

/** One step of the setup checklist: whether the data say it is done, and where it is done (pre-filled where natural). */
export interface SetupStep {
  key: SetupStepKey;
  done: boolean;
  to: RouteLocationRaw;
  /** The area whose page the link opens (the link is shown only to roles that may open it). */
  area: Area;
}

/** The checklist in order: customer → site → zone → campaign → creative → tag; approvers → ceremony. */
export function setupSteps(p: SetupProgress): SetupStep[] {
  const { customerId, siteId, zoneSiteId, campaignId } = p.latest;
  return [
    { key: 'customer', done: p.customers > 0, to: { name: 'customers', query: { new: '1' } }, area: 'customers' },
    { key: 'site', done: p.sites > 0, to: { name: 'sites', query: customerId ? { new: '1', customerId } : { new: '1' } }, area: 'sites' },
    { key: 'zone', done: p.zones > 0, to: siteId ? { name: 'site', params: { id: siteId } } : { name: 'sites' }, area: 'sites' },
    { key: 'campaign', done: p.campaigns > 0, to: { name: 'campaign-new', query: customerId ? { customerId } : {} }, area: 'campaigns' },
    { key: 'creative', done: p.creatives > 0, to: campaignId ? { name: 'campaign', params: { id: campaignId } } : { name: 'campaigns' }, area: 'campaigns' },
    { key: 'tag', done: p.tagServing, to: zoneSiteId ? { name: 'site', params: { id: zoneSiteId } } : { name: 'sites' }, area: 'sites' },
    { key: 'approvers', done: p.approversEnrolled >= CEREMONY_MIN_APPROVERS, to: { name: 'keys', hash: '#enrolment-guide' }, area: 'keys' },
    { key: 'ceremony', done: p.ceremonyDone, to: { name: 'keys' }, area: 'keys' },
  ];
}
