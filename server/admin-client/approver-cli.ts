import type { CaseView, MyShares } from '../../common/schemas/cases';
import { createApproverKeychain, KeychainError } from '../../node/approver-keychain';
import { parseFlags, readStdin, required, UsageError, type Command } from '../command/args';
import { AdminApiError, AdminClient } from './admin-client';

const FLAGS = { server: { type: 'string' }, email: { type: 'string' }, 'password-stdin': { type: 'boolean' } } as const;

async function signIn(f: { server?: string; email?: string; 'password-stdin'?: boolean }): Promise<{ client: AdminClient; server: string; email: string }> {
  const server = required(f.server, '--server');
  const email = required(f.email, '--email').trim().toLowerCase();
  if (!f['password-stdin']) throw new UsageError('--password-stdin is required: pipe the password into standard input.');
  // Line 1 the password, line 2 (where two-factor sign-in is on) the current TOTP code.
  const [password, totp] = (await readStdin()).split(/\r?\n/);
  if (!password) throw new UsageError('The password on standard input is empty.');
  return { client: await AdminClient.signIn(server, email, password, totp?.trim() || undefined), server, email };
}

/** Runs a command body, turning API and keychain failures into one line and exit code 1. */
async function oneLine(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof AdminApiError || err instanceof KeychainError) {
      console.error(`creative-engine ${name}: ${err.message}`);
      return 1;
    }
    throw err;
  }
}

/** `approver enroll`: creates (or reuses) the keychain identity and registers its public key. */
export const approverEnrollCommand: Command = {
  name: 'approver enroll',
  summary: "create this user's approver identity in the OS keychain and register its public key",
  usage: 'approver enroll --server URL --email E --password-stdin',
  async run(argv) {
    const f = parseFlags(argv, FLAGS);
    return oneLine(this.name, async () => {
      const { client, server, email } = await signIn(f);
      try {
        const keychain = createApproverKeychain();
        const { publicKey, created } = await keychain.enroll(server, email);
        try {
          await client.call('POST', '/api/approvers/enrolment', { publicKey });
        } catch (err) {
          // An identity the server refused would only lie around in the keychain: take it back.
          if (created) await keychain.remove(server, email).catch(() => false);
          if (err instanceof AdminApiError && err.status === 403) throw new AdminApiError(403, 'forbidden', 'this account holds no approver role (management or dpo)');
          throw err;
        }
        console.log(`${created ? 'enrolled' : 'enrolled again (existing keychain identity)'}: ${email} on ${client.origin}, public key ${publicKey}`);
        return 0;
      } finally {
        await client.signOut();
      }
    });
  },
};

/** `approver approve`: re-wraps this user's share(s) of a case to the case key and submits them. */
export const approverApproveCommand: Command = {
  name: 'approver approve',
  summary: "approve a case by re-wrapping this user's key share to the case key",
  usage: 'approver approve --server URL --email E --password-stdin --case ID',
  async run(argv) {
    const f = parseFlags(argv, { ...FLAGS, case: { type: 'string' } });
    const caseId = required(f.case, '--case');
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(caseId)) throw new UsageError('--case must be a case id like cas_….');
    return oneLine(this.name, async () => {
      const { client, server, email } = await signIn(f);
      try {
        const keychain = createApproverKeychain();
        if (!(await keychain.publicKey(server, email))) throw new KeychainError('not_enrolled', 'not enrolled: run `creative-engine approver enroll` on this computer first');
        const path = `/api/cases/${encodeURIComponent(caseId)}`;
        const before = await client.call<CaseView>('GET', path).catch((err: unknown) => {
          throw err instanceof AdminApiError && err.status === 404 ? new AdminApiError(404, 'not_found', 'case not found') : err;
        });
        if (before.status !== 'awaiting_approval') throw new AdminApiError(409, 'conflict', `the case is ${before.status.replace('_', ' ')}; it takes no approvals`);
        const mine = await client
          .call<MyShares>('GET', `${path}/shares/mine`)
          .catch((err: unknown) => {
            throw err instanceof AdminApiError && err.status === 403 ? new AdminApiError(403, 'forbidden', `not an approver of this case: ${err.message}`) : err;
          });
        let view = before;
        let submitted = 0;
        for (const share of mine.shares.filter((s) => !s.approved)) {
          const rewrappedShare = await keychain.rewrapShare(server, email, share.encryptedShare, mine.casePublicKey);
          view = await client.call<CaseView>('POST', `${path}/approvals`, { keyId: share.keyId, rewrappedShare });
          submitted++;
        }
        const done = view.keys.map((k) => `${k.keyId}: ${k.approvals} of ${k.threshold}`).join(', ');
        console.log(`${submitted ? `approved case ${caseId}` : `already approved case ${caseId}`}; status ${view.status} (${done})`);
        return 0;
      } finally {
        await client.signOut();
      }
    });
  },
};
