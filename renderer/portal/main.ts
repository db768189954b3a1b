import '../src/zod-csp';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { setUnauthenticatedHandler } from '../src/api/client';
import { i18n, restoreLocale } from './i18n';
import { router } from './router';
import { usePortalSessionStore } from './stores/session';
import '../src/styles/base.css';

const pinia = createPinia();
const app = createApp(App).use(pinia).use(i18n).use(router);

// An expired or ended session (or a locked account): forget it and ask to sign in again, then come back here.
setUnauthenticatedHandler(() => {
  const session = usePortalSessionStore(pinia);
  session.forget(session.user ? 'expired' : null);
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.push({ name: 'sign-in', query: { next: current.fullPath } });
});

void Promise.all([restoreLocale(), router.isReady()]).then(() => app.mount('#app'));
