import type { Feature } from '../app-context';

/** GET /healthz on the delivery listener (for load balancers) and /api/health on the admin one. */
export const healthFeature: Feature = (_ctx, { delivery, admin }) => {
  delivery.get('/healthz', ({ res }) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end('ok');
  });
  admin.get('/api/health', () => ({ ok: true }));
};
