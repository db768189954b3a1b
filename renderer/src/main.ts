import './zod-csp';
import { createApp, watch } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { setUnauthenticatedHandler } from './api/client';
import { i18n, restoreLocale } from './i18n';
import { router } from './router';
import { useSessionStore } from './stores/session';
import './styles/base.css';

const pinia = createPinia();
const app = createApp(App).use(pinia).use(i18n).use(router);

// An expired or revoked session: forget it and ask to sign in again, then come back here.
setUnauthenticatedHandler(() => {
  useSessionStore(pinia).forget();
  const current = router.currentRoute.value;
  if (!current.meta.public) void router.push({ name: 'sign-in', query: { next: current.fullPath } });
});

// In the desktop app, its own dialogs and menu speak the console's language (an older app lacks the call).
watch(
  i18n.global.locale,
  (locale) => void window.engine?.app.setLocale?.(locale).catch(() => undefined),
  { immediate: true },
);

void Promise.all([restoreLocale(), router.isReady()]).then(() => app.mount('#app'));
