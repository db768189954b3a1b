import { ceremonySchema, enrolmentSchema, type KeysStatus, type SealingKeyView } from '../../common/schemas/keys';
import { adminRoute, type AdminState } from '../admin/admin-route';
import type { AppContext } from '../app-context';
import { readJson } from '../http/body';
import { HttpError } from '../http/http-error';
import { reply } from '../http/listener';
import type { Router } from '../http/router';
import type { FieldCipher } from '../privacy/field-cipher';
import { UserRepo } from '../users/user-repo';
import { ApproverRepo } from './approver-repo';
import { runCeremony } from './ceremony';
import { KeyShareRepo } from './key-share-repo';
import type { SealingKeyRef, SealingKeysPort } from './sealing-keys';

/** POST /api/approvers/enrolment, GET /api/approvers, GET /api/keys, POST /api/keys/ceremony. */
export function registerKeyRoutes(ctx: AppContext, admin: Router<AdminState>, keys: SealingKeysPort, cipher: FieldCipher): void {
  const approvers = new ApproverRepo(ctx.db, new UserRepo(ctx.db, cipher));
  const shares = new KeyShareRepo(ctx.db);
  // One ceremony at a time: two concurrent ones would race for the active key.
  let ceremonyRunning = false;

  adminRoute(admin, 'POST /api/approvers/enrolment', async ({ req }, session) => {
    // The schema checks the age1… recipient's shape and bech32 checksum (common/age-keys.ts).
    const { publicKey } = await readJson(req, enrolmentSchema);
    const at = ctx.now().toISOString();
    const { previous } = ctx.db.transaction(() => {
      const result = approvers.enrol(session.userId, publicKey, at);
      if (result.previous !== publicKey) {
        ctx.audit.append({
          actor: session.userId,
          action: result.previous ? 'approver.reenrol' : 'approver.enrol',
          target: session.userId,
          details: { publicKey, ...(result.previous ? { replaced: result.previous } : {}) },
        });
      }
      return result;
    })();
    const note = previous && previous !== publicKey ? 'Your new key is used from the next key ceremony on; shares of earlier keys still need your previous key.' : null;
    return reply(previous ? 200 : 201, { userId: session.userId, publicKey, enrolledAt: at, replaced: previous !== null && previous !== publicKey, note });
  });

  adminRoute(admin, 'GET /api/approvers', () => ({ items: approvers.list() }));

  adminRoute(admin, 'GET /api/keys', (): KeysStatus => {
    const history = keys.history().map(toView);
    const current = keys.current();
    return {
      current: current ? toView(current) : null,
      throwaway: current?.kind !== 'ceremony',
      history,
      approvers: approvers.list(),
    };
  });

  adminRoute(admin, 'POST /api/keys/ceremony', async ({ req }, session) => {
    const input = await readJson(req, ceremonySchema);
    if (ceremonyRunning) throw new HttpError(409, 'ceremony_running', 'Another key ceremony is running right now. Try again in a moment.');
    ceremonyRunning = true;
    try {
      const result = await runCeremony({ db: ctx.db, approvers, audit: ctx.audit, keys, now: ctx.now }, input, session.userId);
      ctx.log.info('key ceremony done: new logs are sealed to the new key', { keyId: result.keyId, threshold: result.threshold, shares: result.shareholders.length });
      return reply(201, result);
    } finally {
      ceremonyRunning = false;
    }
  });

  function toView(k: SealingKeyRef): SealingKeyView {
    const c = k.kind === 'ceremony' ? shares.ceremony(k.id) : null;
    return {
      id: k.id,
      kind: k.kind,
      recipient: k.recipient,
      activatedAt: k.activatedAt,
      retiredAt: k.retiredAt,
      threshold: c?.threshold ?? null,
      shareholders: c ? shares.shares(k.id).map((s) => ({ userId: s.userId, roles: s.roles })) : [],
    };
  }
}
