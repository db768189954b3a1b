import fs from 'node:fs';
import readline from 'node:readline';
import { approveCase, CaseApprovalError, describeCase } from '../../node/case-approval';
import { createApproverKeychain, KeychainError, type ApproverAccount } from '../../node/approver-keychain';
import { parseFlags, readStdin, required, UsageError, type Command } from '../command/args';
import { AdminApiError, AdminClient } from './admin-client';
import { tlsTrustFrom, TransportError } from './admin-transport';

const FLAGS = {
  server: { type: 'string' },
  'tls-fingerprint': { type: 'string' },
  ca: { type: 'string' },
  email: { type: 'string' },
  'password-stdin': { type: 'boolean' },
} as const;
const CONNECTION = '--server https://HOST:PORT [--tls-fingerprint SHA256:HEX | --ca FILE] --email E --password-stdin';

type ConnectionFlags = { server?: string; 'tls-fingerprint'?: string; ca?: string; email?: string; 'password-stdin'?: boolean };

/**
 * Connects (certificate checked before anything is sent), reads who this installation is, then
 * signs in with standard input: line 1 the password, line 2 the TOTP code where two-factor is on.
 */
async function signIn(f: ConnectionFlags): Promise<{ client: AdminClient; who: ApproverAccount }> {
  const server = required(f.server, '--server');
  const email = required(f.email, '--email').trim().toLowerCase();
  if (!f['password-stdin']) throw new UsageError('--password-stdin is required: pipe the password (and on a second line the TOTP code) into standard input.');
  let client: AdminClient;
  try {
    client = AdminClient.connect(server, tlsTrustFrom({ fingerprint: f['tls-fingerprint'], caFile: f.ca }));
  } catch (err) {
    if (err instanceof TransportError && err.code !== 'insecure') throw new UsageError(err.message);
    throw err;
  }
  const [password = '', totp] = (await readStdin()).split(/\r?\n/);
  if (!password) throw new UsageError('The password on standard input is empty.');
  const { installationId } = await client.serverInfo();
  await client.signIn({ email, password, totp: totp?.trim() || undefined });
  // Identities an older version filed under the server's origin move to the installation id.
  return { client, who: { installationId, email, legacyOrigins: [client.origin] } };
}

/** Runs a command body, turning API, transport, keychain and approval failures into one line and exit code 1. */
async function oneLine(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof AdminApiError || err instanceof KeychainError || err instanceof TransportError || err instanceof CaseApprovalError) {
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
  usage: `approver enroll ${CONNECTION}`,
  async run(argv) {
    const f = parseFlags(argv, FLAGS);
    return oneLine(this.name, async () => {
      const { client, who } = await signIn(f);
      try {
        const keychain = createApproverKeychain();
        const { publicKey, created } = await keychain.enroll(who);
        try {
          await client.call('POST', '/api/approvers/enrolment', { publicKey });
        } catch (err) {
          // An identity the server refused would only lie around in the keychain: take it back.
          if (created) await keychain.remove({ installationId: who.installationId, email: who.email }).catch(() => false);
          if (err instanceof AdminApiError && err.status === 403) throw new AdminApiError(403, 'forbidden', 'this account holds no approver role (management or dpo)');
          throw err;
        }
        console.log(`${created ? 'enrolled' : 'enrolled again (existing keychain identity)'}: ${who.email} on ${client.origin} (${who.installationId}), public key ${publicKey}`);
        return 0;
      } finally {
        await client.signOut();
      }
    });
  },
};

/** Opens the controlling terminal for the question, or null when there is none. */
function openTty(): number | null {
  try {
    return fs.openSync('/dev/tty', 'r+');
  } catch {
    return null;
  }
}

/** Shows the summary on the terminal and asks "Approve? [y/N]"; only y or yes approves. */
function askOnTty(fd: number, summary: string): Promise<boolean> {
  fs.writeSync(fd, `${summary}\nApprove? [y/N] `);
  const input = fs.createReadStream('', { fd, autoClose: false });
  const rl = readline.createInterface({ input });
  return new Promise((resolve) => {
    let answered = false;
    const done = (answer: string) => {
      if (answered) return;
      answered = true;
      rl.close();
      input.destroy();
      resolve(/^\s*y(es)?\s*$/i.test(answer));
    };
    rl.once('line', done);
    rl.once('close', () => done(''));
  });
}

/** `approver approve`: shows the case, asks, then re-wraps this user's share(s) to the case key the server reports. */
export const approverApproveCommand: Command = {
  name: 'approver approve',
  summary: "approve a case after reading it: re-wraps this user's key share to the case key",
  usage: `approver approve ${CONNECTION} --case ID [--yes]`,
  async run(argv) {
    const f = parseFlags(argv, { ...FLAGS, case: { type: 'string' }, yes: { type: 'boolean' } });
    const caseId = required(f.case, '--case');
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(caseId)) throw new UsageError('--case must be a case id like cas_….');
    // Decide how to ask before anything is sent: without a terminal only --yes approves.
    const tty = f.yes ? null : openTty();
    if (!f.yes && tty === null) throw new UsageError('no terminal to ask "Approve? [y/N]" on: run it in a terminal, or pass --yes after reading the case.');
    try {
      return await oneLine(this.name, async () => {
        const { client, who } = await signIn(f);
        try {
          const confirm = async (summary: string) => {
            if (tty === null) {
              console.log(summary);
              return true;
            }
            return askOnTty(tty, summary);
          };
          const { submitted, view } = await approveCase({ adminCall: client.adminCall, keychain: createApproverKeychain(), ...who, caseId, confirm });
          const done = view.keys.map((k) => `${k.keyId}: ${k.approvals} of ${k.threshold}`).join(', ');
          if (submitted === 0) console.log(describeCase(view));
          console.log(`${submitted ? `approved case ${caseId}` : `already approved case ${caseId}`}; status ${view.status} (${done})`);
          return 0;
        } finally {
          await client.signOut();
        }
      });
    } finally {
      if (tty !== null) fs.closeSync(tty);
    }
  },
};
