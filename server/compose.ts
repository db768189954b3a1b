import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppContext, Routers } from './app-context';
import { registerConsoleConfigRoute } from './admin/config-route';
import { registerServerInfoRoute } from './admin/server-info-route';
import { registerSetupProgressRoute } from './admin/setup-progress-route';
import { SettingsRepo } from './store/settings-repo';
import { registerAuditRoutes } from './audit/audit-routes';
import { startAuth } from './auth/auth-feature';
import { PasswordCheckGate } from './auth/password-check-gate';
import type { SessionManager } from './auth/session-manager';
import { startBackups, type BackupSchedule } from './backup/backup-schedule';
import { startCases } from './cases/cases-feature';
import { registerCatalogRoutes } from './catalog/catalog-feature';
import { startDelivery, type DeliveryVisitors, type StartedDelivery } from './delivery/delivery-feature';
import { deliveryGate } from './delivery/delivery-gate';
import { registerHealthRoutes } from './delivery/health';
import { registerKeyRoutes } from './keys/key-routes';
import { registerPortalDataRoutes } from './portal/portal-data-routes';
import { createMailer } from './mail/mailer';
import { startPortal } from './portal/portal-feature';
import { PortalUserRepo } from './portal/portal-user-repo';
import type { PortalSessionResolver } from './portal/portal-route';
import { registerPublicPages } from './portal/public-pages';
import { startPrivacy } from './privacy/privacy-feature';
import type { PrivacyServices } from './privacy/privacy-services';
import { startRequests } from './requests/requests-feature';
import { startRetention } from './retention/retention-feature';
import { accessRecorder, startSealing } from './sealing/sealing-feature';
import type { SealingService } from './sealing/sealing-service';
import { registerStatsRoutes } from './stats/stats-feature';
import { registerStatementRoutes } from './invoicing/statement-routes';
import { registerForecastRoutes } from './forecast/forecast-routes';
import { targetingClock } from '../common/local-clock';
import { StatsService } from './stats/stats-service';
import { UserRepo } from './users/user-repo';

/** The services of a running server (tests reach them through App.services). */
export interface Services {
  privacy: PrivacyServices;
  sessions: SessionManager;
  /** Customer users' sessions on the portal listener. */
  portalSessions: PortalSessionResolver;
  sealing: SealingService;
  stats: StatsService;
  /** The daily visitor key and per-visitor cap counts (reach and caps). */
  visitors: DeliveryVisitors;
  /** Null when no scheduled backups are configured. */
  backups: BackupSchedule | null;
}

/** What the listeners need from the composed server. */
export interface ComposedServer {
  services: Services;
  /** Per-request state of the delivery listener: refuses delivery while the sealed-log buffer is full. */
  deliveryGate: (req: IncomingMessage) => undefined;
  /** The delivery service and token keys (the primary of delivery workers counts and decides with them). */
  delivery: StartedDelivery;
  /** After each delivery response: its access record goes to the sealer. */
  onDeliveryFinish: (req: IncomingMessage, res: ServerResponse, peer: string) => void;
}

/**
 * The whole server in one place: builds every service in dependency order over the store and
 * audit log of `ctx` and hands each feature exactly what it needs. Shutdown work registered with
 * ctx.onStop runs in reverse order (so the sealer, built early, closes after everything that feeds it).
 */
export async function composeServer(ctx: AppContext, routers: Routers): Promise<ComposedServer> {
  const { admin, delivery } = routers;
  const { config } = ctx;

  // Personal data: the data key opens the field cipher; nothing that reads customers starts before it.
  const privacy = await startPrivacy(ctx, admin);
  // One cap on parallel password checks (32 MiB of scrypt each) for staff and portal sign-ins together.
  const passwordChecks = new PasswordCheckGate();
  const sessions = startAuth(ctx, admin, privacy.cipher, passwordChecks);

  // Sealed access logs: key ring and sealer; delivery refuses to serve while the sealer cannot keep up.
  const sealing = await startSealing(ctx, admin);
  registerKeyRoutes(ctx, admin, sealing.keyRing, privacy.cipher);
  // Approvers see who opened a case by name and e-mail (GET /api/cases/:id → openedBy).
  const staff = new UserRepo(ctx.db, privacy.cipher);
  const staffName = (userId: string) => {
    const user = staff.get(userId);
    return user ? { name: user.name, email: user.email } : null;
  };
  startCases(ctx, admin, { keyRing: sealing.keyRing, settings: { sealedDir: sealing.sealedDir, ...config.cases }, staffName });

  registerAuditRoutes(ctx, admin);
  registerSetupProgressRoute(admin, ctx.db);
  registerCatalogRoutes(ctx, routers, privacy.cipher);

  // Delivery counts into the statistics; both report to the health check.
  const stats = new StatsService(ctx);
  const started = startDelivery(ctx, routers, stats);
  registerStatsRoutes(ctx, admin, stats);
  registerStatementRoutes(ctx, admin, stats, new SettingsRepo(ctx.db));
  // Weekday and hour match history to the range in the operator's zone (delivery already warned about a bad one).
  registerForecastRoutes(ctx, admin, stats.counters, targetingClock(config.timeZone, () => {}).timeZone);
  registerHealthRoutes({ admin, delivery }, { sealer: sealing.sealer, stats });

  // One SMTP connection pool for every mail the server sends (portal invitations, request notices).
  const mailer = config.mail ? createMailer(config.mail, ctx.log) : null;
  if (mailer) ctx.onStop(() => mailer.close());

  // Forwarded requests go to the customer's portal; its enabled users get the notice by e-mail.
  const portalUsers = new PortalUserRepo(ctx.db, privacy.cipher);
  const portalInbox = {
    activeUserEmails: (customerId: string) => portalUsers.listForCustomer(customerId).filter((u) => !u.disabled).map((u) => u.email),
    url: () => ctx.portalBaseUrl(),
  };
  const requests = startRequests(ctx, routers, { cipher: privacy.cipher, mailer, portal: portalInbox });
  registerConsoleConfigRoute(admin, ctx.deliveryBaseUrl, stats.timeZone);
  registerServerInfoRoute(admin, new SettingsRepo(ctx.db));

  // The customer portal: customer users, their sessions, their own data and the public pages.
  const portalSessions = startPortal(ctx, routers, { cipher: privacy.cipher, passwordChecks, mailer });
  registerPortalDataRoutes(ctx, routers.portal, { cipher: privacy.cipher, stats });
  registerPublicPages(ctx, routers.portal, { contact: requests.contact });

  // Retention runs once now and then on schedule; erased customers leave the delivery index.
  await startRetention(ctx, () => ctx.events.emit('data-changed', { what: 'customer' }));
  const backups = startBackups(ctx, privacy);

  return {
    services: { privacy, sessions, portalSessions, sealing, stats, visitors: started.visitors, backups },
    delivery: started,
    deliveryGate: deliveryGate(sealing.sealer),
    onDeliveryFinish: accessRecorder(ctx, sealing.sealer),
  };
}
