import { randomBytes } from 'node:crypto';
import { decryptWith, encryptTo, generateX25519Key, type X25519Key } from '../../../node/age-files';
import { createApproverKeychain, type ApproverKeychain } from '../../../node/approver-keychain';
import { startTestApp, type TestApp } from '../../test/test-app';
import { createStaff, setupAdmin, signIn, type StaffClient } from './staff-fixture';
import { KEYRING as KEYRING_PART } from '../../../node/test/requirements';

/** Real keytar only inside the private D-Bus session (scripts/test.sh); elsewhere test identities in memory stand in. */
/** Whether the real OS keychain is there (tests that need it use `missing(KEYRING)` from node/test/requirements). */
export const KEYRING = KEYRING_PART.available;

/** Re-wraps a share the way the desktop app's main process does. */
export type Rewrap = (who: StaffClient, encryptedShare: string, caseRecipient: string) => Promise<string>;

export interface CaseWorld {
  app: TestApp;
  clock: { ms: number };
  admin: StaffClient;
  staff: Record<'rev' | 'boss' | 'boss2' | 'dpo' | 'analyst', StaffClient>;
  rewrap: Rewrap;
  keychain: ApproverKeychain | null;
  /** Delivery requests from `ip` at the current clock time, sealed and flushed to disk. */
  traffic(hits: Array<{ ip: string; path: string }>): Promise<void>;
  setClock(iso: string): void;
  /** Signs everyone in again (after the clock moved past session lifetimes, or a restart). */
  resignIn(): Promise<void>;
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

/** Zones and customer created by SQL for the filter tests. */
export const IDS = {
  customer: 'cus_aaaaaaaaaaaaaaaa',
  site: 'sit_aaaaaaaaaaaaaaaa',
  zoneX: 'zon_xxxxxxxxxxxxxxxx',
  zoneY: 'zon_yyyyyyyyyyyyyyyy',
};

/** A running server with staff, enrolled approvers (keychain when available) and a controllable clock. */
export async function createCaseWorld(startIso: string): Promise<CaseWorld> {
  const clock = { ms: Date.parse(startIso) };
  const options = { now: () => new Date(clock.ms) };
  let app = await startTestApp({ trustProxy: ['127.0.0.1'] }, options);
  const dataDir = app.dataDir;
  const admin = await setupAdmin(app.adminUrl);
  const staff = (await createStaff(app.adminUrl, admin, {
    rev: ['reviewer'],
    boss: ['management'],
    boss2: ['management'],
    dpo: ['dpo'],
    analyst: ['analyst'],
  }, options.now)) as CaseWorld['staff'];
  seedCatalogue(app);

  const keychain = KEYRING ? createApproverKeychain({ service: `creative-engine-test-${randomBytes(4).toString('hex')}` }) : null;
  const identities = new Map<string, X25519Key>();
  // The keychain account is per installation (stable across restarts, unlike the ephemeral ports).
  const { installationId } = (await (await fetch(`${app.adminUrl}/api/server-info`)).json()) as { installationId: string };
  const account = (email: string) => ({ installationId, email });
  for (const who of [staff.boss, staff.dpo]) {
    let publicKey: string;
    if (keychain) publicKey = (await keychain.enroll(account(who.email))).publicKey;
    else {
      const { key, secret } = await generateX25519Key();
      secret.fill(0);
      identities.set(who.email, key);
      publicKey = key.recipient;
    }
    const res = await who.call('POST', '/api/approvers/enrolment', { publicKey });
    if (res.status !== 201) throw new Error(`enrolment failed: ${res.status}`);
  }
  const rewrap: Rewrap = async (who, encryptedShare, caseRecipient) => {
    if (keychain) return keychain.rewrapShare(account(who.email), encryptedShare, caseRecipient);
    const share = await decryptWith(identities.get(who.email)!.cryptoKey, Buffer.from(encryptedShare, 'base64'));
    const out = Buffer.from(await encryptTo(caseRecipient, share)).toString('base64');
    share.fill(0);
    return out;
  };

  const world: CaseWorld = {
    app,
    clock,
    admin,
    staff,
    rewrap,
    keychain,
    setClock: (iso) => void (clock.ms = Date.parse(iso)),
    async traffic(hits) {
      for (const h of hits) {
        const res = await fetch(world.app.deliveryUrl + h.path, { headers: { 'x-forwarded-for': h.ip, 'user-agent': 'CaseTest/1.0', referer: 'https://publisher.example/page' } });
        await res.arrayBuffer();
      }
      await new Promise((r) => setTimeout(r, 20)); // let the responses' close events hand records to the sealer
      await world.app.services.sealing.sealer.drain();
    },
    async resignIn() {
      world.admin = await signIn(world.app.adminUrl, world.admin.email);
      for (const k of Object.keys(world.staff) as Array<keyof CaseWorld['staff']>) world.staff[k] = await signIn(world.app.adminUrl, world.staff[k].email);
    },
    async restart() {
      await app.stop();
      app = await startTestApp({ trustProxy: ['127.0.0.1'], dataDir }, options);
      world.app = app;
      await world.resignIn();
    },
    async dispose() {
      await app.dispose();
      const fs = await import('node:fs');
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(`${dataDir}.data-key`, { force: true }); // startTestApp's data key file outside the keychain session
      if (keychain) for (const who of [staff.boss, staff.dpo]) await keychain.remove(account(who.email)).catch(() => false);
    },
  };
  return world;
}

function seedCatalogue(app: TestApp): void {
  const at = new Date(0).toISOString();
  const db = app.ctx.db;
  db.prepare('INSERT INTO customers (id, name, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(IDS.customer, 'Publisher', 'pub@example.com', at, at);
  db.prepare('INSERT INTO sites (id, customer_id, name, domain, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(IDS.site, IDS.customer, 'Site', 'publisher.example', at, at);
  for (const z of [IDS.zoneX, IDS.zoneY]) {
    db.prepare('INSERT INTO zones (id, site_id, name, width, height, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(z, IDS.site, z, 300, 250, at, at);
  }
}

/** Polls a case until it leaves 'unsealing' (or the time is up). */
export async function waitForCase<T extends { status: string }>(who: StaffClient, id: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await who.call<T>('GET', `/api/cases/${id}`);
    if (res.body.status !== 'unsealing' || Date.now() > until) return res.body;
    await new Promise((r) => setTimeout(r, 25));
  }
}
