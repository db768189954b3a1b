import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { usePortalSessionStore } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (sign-in, invitation). */
    public?: boolean;
    /** i18n key of the page title. */
    title: string;
    /** The navigation entry a detail page belongs to (highlighted while it is open). */
    section?: string;
  }
}

// Hash routes: an invitation link carries its token in the fragment (#/invite/<token>), which never
// reaches server logs or a Referer header.
const routes: RouteRecordRaw[] = [
  { path: '/sign-in', name: 'sign-in', component: () => import('./views/SignInView.vue'), meta: { public: true, title: 'portal.signIn.title' } },
  { path: '/invite/:token', name: 'invite', component: () => import('./views/InvitationView.vue'), props: true, meta: { public: true, title: 'portal.invite.title' } },
  { path: '/', name: 'overview', component: () => import('./views/OverviewView.vue'), meta: { title: 'portal.overview.title' } },
  { path: '/campaigns', name: 'campaigns', component: () => import('./views/CampaignsView.vue'), meta: { title: 'portal.campaigns.title' } },
  { path: '/campaigns/:id', name: 'campaign', component: () => import('./views/CampaignView.vue'), props: true, meta: { title: 'portal.campaigns.detailTitle', section: 'campaigns' } },
  { path: '/creatives', name: 'creatives', component: () => import('./views/CreativesView.vue'), meta: { title: 'portal.creatives.title' } },
  { path: '/sites', name: 'sites', component: () => import('./views/SitesView.vue'), meta: { title: 'portal.sites.title' } },
  { path: '/my-data', name: 'account', component: () => import('./views/AccountView.vue'), meta: { title: 'portal.account.title' } },
  { path: '/requests', name: 'requests', component: () => import('./views/RequestsView.vue'), meta: { title: 'portal.requests.title' } },
  { path: '/requests/:id', name: 'request', component: () => import('./views/RequestView.vue'), props: true, meta: { title: 'portal.requests.detailTitle', section: 'requests' } },
  { path: '/security', name: 'security', component: () => import('./views/SecurityView.vue'), meta: { title: 'portal.security.title' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { title: 'portal.notFound.title' } },
];

export const router = createRouter({
  history: createWebHashHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

// Find out who is signed in once; the signed-out go to sign-in (and come back), the signed-in skip it.
// An invitation opens whether or not someone is signed in (it may be for another person).
router.beforeEach(async (to) => {
  const session = usePortalSessionStore();
  if (!session.checked) await session.load();
  if (to.name === 'invite') return true;
  if (to.meta.public) return session.user ? { name: 'overview' } : true;
  if (!session.user) return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  return true;
});
