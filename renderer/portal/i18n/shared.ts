import type { Messages as ConsoleMessages } from '../../src/i18n/de';

/**
 * The console's message sections the portal's shared components use (forms, statistics, tags,
 * two-factor sign-in, error texts): taken from the console's messages rather than copied, so a
 * text is changed in one place.
 */
export function sharedSections(m: ConsoleMessages) {
  const { common, shell, fields, errors, validation, stats, security, signIn } = m;
  return {
    common,
    shell,
    fields,
    errors,
    validation,
    stats,
    security,
    signIn,
    dashboard: { served: m.dashboard.served, impressions: m.dashboard.impressions, clicks: m.dashboard.clicks, ctr: m.dashboard.ctr, today: m.dashboard.today },
    campaigns: {
      statuses: m.campaigns.statuses, flight: m.campaigns.flight, creatives: m.campaigns.creatives,
      goalCount: m.campaigns.goalCount, goalKinds: m.campaigns.goalKinds, pacings: m.campaigns.pacings, noGoal: m.campaigns.noGoal,
    },
    creatives: { statuses: m.creatives.statuses, kinds: m.creatives.kinds, preview: m.creatives.preview, htmlPreview: m.creatives.htmlPreview },
    customers: { kinds: m.customers.kinds },
    sites: {
      kinds: m.sites.kinds, noZones: m.sites.noZones, tagHint: m.sites.tagHint, jsTag: m.sites.jsTag, iframeTag: m.sites.iframeTag,
      iframeTitle: m.sites.iframeTitle, copyJs: m.sites.copyJs, copyIframe: m.sites.copyIframe,
      pageTag: m.sites.pageTag, pageTagHint: m.sites.pageTagHint, pageScript: m.sites.pageScript, pageIns: m.sites.pageIns,
      copyPageScript: m.sites.copyPageScript, copyPageIns: m.sites.copyPageIns,
    },
    requests: { kinds: m.requests.kinds, statuses: m.requests.statuses, due: m.requests.due, overdue: m.requests.overdue, received: m.requests.received, message: m.requests.message },
  };
}
