/** One audit entry as stored and as served by GET /api/audit (hash-chained: `hash` covers the content and `prevHash`). */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  /** An action of AUDIT_ACTIONS (entries written before the catalogue may hold others). */
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Answer of GET /api/audit: newest first; `nextBefore` is the `before` of the next older page, or null. */
export interface AuditPage {
  items: AuditEntry[];
  nextBefore: number | null;
}

/** Answer of GET /api/audit/verify. */
export type AuditVerification = { ok: true; count: number } | { ok: false; count: number; badSeq: number; reason: string };

/**
 * What an audit entry's `target` names: the kind of object, so the console can name it (a
 * campaign's name, a link) and filter by it. `null`: the action has no target.
 */
export type AuditTargetKind = 'customer' | 'site' | 'zone' | 'campaign' | 'creative' | 'asset' | 'user' | 'portalUser' | 'invitation' | 'case' | 'request' | 'key' | 'backup';

/**
 * Every action the server writes to the audit log, with the kind of its target. The one list:
 * AuditEvent.action only takes these, the console has a German and an English text for each
 * (renderer/src/components/audit/audit-texts.ts, checked by a test), and the filters offer them.
 */
export const AUDIT_ACTIONS = {
  'session.login': 'user',
  'session.login_failed': 'user',
  'session.logout': 'user',
  'totp.enrolment_started': 'user',
  'totp.enrolled': 'user',
  'totp.confirm_failed': 'user',
  'totp.disabled': 'user',
  'totp.disable_failed': 'user',
  'totp.recovery_code_used': 'user',
  'totp.reset': 'user',
  'user.create': 'user',
  'user.update': 'user',
  'settings.security': null,
  'privacy.encrypt-legacy': null,

  'customer.create': 'customer',
  'customer.update': 'customer',
  'customer.rectify': 'customer',
  'customer.restrict': 'customer',
  'customer.records': 'customer',
  'customer.export': 'customer',
  'customer.erased': 'customer',
  'site.create': 'site',
  'site.update': 'site',
  'site.archive': 'site',
  'site.restore': 'site',
  'zone.create': 'zone',
  'zone.update': 'zone',
  'zone.archive': 'zone',
  'zone.restore': 'zone',
  'campaign.create': 'campaign',
  'campaign.update': 'campaign',
  'campaign.price': 'campaign',
  'campaign.duplicate': 'campaign',
  'campaign.pause': 'campaign',
  'campaign.resume': 'campaign',
  'campaign.archive': 'campaign',
  'campaign.restore': 'campaign',
  'creative.create': 'creative',
  'creative.update': 'creative',
  'creative.archive': 'creative',
  'creative.restore': 'creative',
  'asset.create': 'asset',
  'delivery.token-key.rotate': null,

  'portal.invitation_created': 'invitation',
  'portal.invitation_emailed': 'invitation',
  'portal.invitation_email_failed': 'invitation',
  'portal.invitation_revoked': 'invitation',
  'portal.invitation_accepted': 'invitation',
  'portal.login': 'portalUser',
  'portal.login_failed': 'portalUser',
  'portal.logout': 'portalUser',
  'portal.password_changed': 'portalUser',
  'portal.password_change_failed': 'portalUser',
  'portal.totp.enrolment_started': 'portalUser',
  'portal.totp.enrolled': 'portalUser',
  'portal.totp.confirm_failed': 'portalUser',
  'portal.totp.disabled': 'portalUser',
  'portal.totp.disable_failed': 'portalUser',
  'portal.totp.recovery_code_used': 'portalUser',
  'portal.user_disabled': 'portalUser',
  'portal.user_enabled': 'portalUser',
  'portal.user_removed': 'portalUser',

  'approver.enrol': 'user',
  'approver.reenrol': 'user',
  'key.ceremony': 'key',
  'case.open': 'case',
  'case.customer_involvement': 'case',
  'case.share_fetch': 'case',
  'case.approve': 'case',
  'case.approval_rejected': 'case',
  'case.unseal_start': 'case',
  'case.unsealed': 'case',
  'case.unseal_failed': 'case',
  'case.view_records': 'case',
  'case.export': 'case',
  'case.reset': 'case',
  'case.expire': 'case',
  'case.close': 'case',

  'request.receive': 'request',
  'request.view': 'request',
  'request.update': 'request',
  'request.reply': 'request',
  'request.notify': 'request',
  'request.forward': 'request',
  'request.export': 'request',
  'request.customer-status': 'request',
  'request.close': 'request',
  'request.erase': 'request',

  'retention.run': null,
  'backup.create': 'backup',
  'backup.prune': null,
  'backup.failed': null,
  'backup.restore': null,
} as const satisfies Record<string, AuditTargetKind | null>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** The actions in catalogue order (for pickers and tests). */
export const AUDIT_ACTION_LIST = Object.keys(AUDIT_ACTIONS) as AuditAction[];

/** Whether a string is an action of the catalogue. */
export const isAuditAction = (s: string): s is AuditAction => Object.hasOwn(AUDIT_ACTIONS, s);

/** The kinds of object an audit entry can name, for the object filter. */
export const AUDIT_TARGET_KINDS = ['customer', 'site', 'zone', 'campaign', 'creative', 'asset', 'user', 'portalUser', 'invitation', 'case', 'request', 'key', 'backup'] as const satisfies readonly AuditTargetKind[];

/** The actions whose target is of this kind. */
export const auditActionsOfKind = (kind: AuditTargetKind): AuditAction[] => AUDIT_ACTION_LIST.filter((a) => AUDIT_ACTIONS[a] === kind);
