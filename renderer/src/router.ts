import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { AREA_ROLES, type Area } from './access';
import { useSessionStore } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (sign-in, first run). */
    public?: boolean;
    /** Which area's roles may open it. */
    area?: Area;
    /** i18n key of the page title. */
    title: string;
  }
}

const area = (a: Area, title: string) => ({ area: a, title });

const routes: RouteRecordRaw[] = [
  { path: '/setup', name: 'first-run', component: () => import('./views/FirstRunView.vue'), meta: { public: true, title: 'firstRun.title' } },
  { path: '/sign-in', name: 'sign-in', component: () => import('./views/SignInView.vue'), meta: { public: true, title: 'signIn.title' } },
  { path: '/', name: 'dashboard', component: () => import('./views/DashboardView.vue'), meta: area('dashboard', 'dashboard.title') },
  { path: '/customers', name: 'customers', component: () => import('./views/CustomersView.vue'), meta: area('customers', 'customers.title') },
  { path: '/customers/:id', name: 'customer', component: () => import('./views/CustomerDetailView.vue'), props: true, meta: area('customers', 'customers.detailTitle') },
  { path: '/sites', name: 'sites', component: () => import('./views/SitesView.vue'), meta: area('sites', 'sites.title') },
  { path: '/sites/:id', name: 'site', component: () => import('./views/SiteDetailView.vue'), props: true, meta: area('sites', 'sites.detailTitle') },
  { path: '/zones/:id/preview', name: 'zone-preview', component: () => import('./views/ZonePreviewView.vue'), props: true, meta: area('sites', 'zoneTools.previewTitle') },
  { path: '/campaigns', name: 'campaigns', component: () => import('./views/CampaignsView.vue'), meta: area('campaigns', 'campaigns.title') },
  { path: '/campaigns/new', name: 'campaign-new', component: () => import('./views/CampaignEditView.vue'), meta: area('campaigns', 'campaigns.newTitle') },
  { path: '/campaigns/:id', name: 'campaign', component: () => import('./views/CampaignDetailView.vue'), props: true, meta: area('campaigns', 'campaigns.detailTitle') },
  { path: '/campaigns/:id/edit', name: 'campaign-edit', component: () => import('./views/CampaignEditView.vue'), props: true, meta: area('campaigns', 'campaigns.editTitle') },
  { path: '/statistics', name: 'statistics', component: () => import('./views/StatisticsView.vue'), meta: area('statistics', 'stats.title') },
  { path: '/cases', name: 'cases', component: () => import('./views/CasesView.vue'), meta: area('cases', 'cases.title') },
  { path: '/cases/:id', name: 'case', component: () => import('./views/CaseDetailView.vue'), props: true, meta: area('cases', 'cases.detailTitle') },
  { path: '/keys', name: 'keys', component: () => import('./views/KeysView.vue'), meta: area('keys', 'keys.title') },
  { path: '/requests', name: 'requests', component: () => import('./views/RequestsView.vue'), meta: area('requests', 'requests.title') },
  { path: '/audit', name: 'audit', component: () => import('./views/AuditView.vue'), meta: area('audit', 'audit.title') },
  { path: '/users', name: 'users', component: () => import('./views/UsersView.vue'), meta: area('users', 'users.title') },
  { path: '/account/security', name: 'account-security', component: () => import('./views/AccountSecurityView.vue'), meta: { title: 'security.title' } },
  { path: '/not-allowed', name: 'not-allowed', component: () => import('./views/NotAllowedView.vue'), meta: { title: 'notAllowed.title' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./views/NotFoundView.vue'), meta: { title: 'notFound.title' } },
];

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

// Guards: find out who is signed in once, send the signed-out to sign-in (or first run), those who
// must still set up two-factor sign-in to their account security page, and keep each role to the
// areas it may use.
router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (!session.checked) await session.load();
  const needsSetup = Boolean(session.setup?.needsSetup);
  if (to.name === 'first-run') return needsSetup && !session.user ? true : { name: session.user ? 'dashboard' : 'sign-in' };
  if (to.meta.public) return session.user ? { name: 'dashboard' } : needsSetup ? { name: 'first-run' } : true;
  if (!session.user) {
    if (needsSetup) return { name: 'first-run' };
    return { name: 'sign-in', query: to.fullPath === '/' ? {} : { next: to.fullPath } };
  }
  // Two-factor sign-in required and not set up: the server refuses everything else, so go where it is set up.
  if (session.enrolmentDue && to.name !== 'account-security') return { name: 'account-security' };
  if (to.meta.area && !session.hasAnyRole(AREA_ROLES[to.meta.area])) return { name: 'not-allowed', query: { from: to.fullPath } };
  return true;
});
