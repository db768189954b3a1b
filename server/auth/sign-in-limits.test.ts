import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousClient, createTestUser, TEST_PASSWORD, type ApiResponse } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';

// Sign-ins arrive through a trusted proxy (the test client is 127.0.0.1), so X-Forwarded-For names
// the client address each attempt is counted under.
let app: TestApp;
let clock = Date.parse('2025-03-01T10:00:00Z');
beforeAll(async () => {
  app = await startTestApp({ trustProxy: ['127.0.0.1'] }, { now: () => new Date(clock) });
});
afterAll(() => app.dispose());

const WRONG = 'not the password at all';
const HOUR = 60 * 60 * 1000;
let net = 0;
/** A fresh IPv4 address no earlier attempt came from. */
const freshAddress = () => `10.${(++net >> 16) & 255}.${(net >> 8) & 255}.${net & 255}`;

function signInFrom(address: string, email: string, password: string): Promise<ApiResponse> {
  return anonymousClient(app).post('/api/session', { email, password }, { headers: { 'x-forwarded-for': address } });
}

async function newAccount(): Promise<string> {
  clock += 48 * HOUR; // every limiter has forgotten the earlier tests
  return (await createTestUser(app, { roles: ['admin'] })).email;
}

describe('sign-in limits per account and address', () => {
  it("a stranger's failures from one address do not stop the owner's right password from another", async () => {
    const email = await newAccount();
    const stranger = '198.51.100.7';
    for (let i = 0; i < 5; i++) expect((await signInFrom(stranger, email, WRONG)).status).toBe(401);
    expect((await signInFrom(stranger, email, WRONG)).status).toBe(429);
    expect((await signInFrom('203.0.113.20', email, TEST_PASSWORD)).status).toBe(200);
  });

  it('keeps the guesser locked as today: the right password is refused too, and the lock doubles', async () => {
    const email = await newAccount();
    const stranger = '198.51.100.8';
    for (let i = 0; i < 5; i++) expect((await signInFrom(stranger, email, WRONG)).status).toBe(401);
    const locked = await signInFrom(stranger, email, TEST_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('1');
    clock += 1000;
    expect((await signInFrom(stranger, email, WRONG)).status).toBe(401);
    expect((await signInFrom(stranger, email, TEST_PASSWORD)).headers.get('retry-after')).toBe('2');
    clock += 2000;
    expect((await signInFrom(stranger, email, WRONG)).status).toBe(401);
    expect((await signInFrom(stranger, email, TEST_PASSWORD)).headers.get('retry-after')).toBe('4');
    // The owner elsewhere is not affected, and their sign-in does not lift the stranger's lock.
    expect((await signInFrom('203.0.113.21', email, TEST_PASSWORD)).status).toBe(200);
    expect((await signInFrom(stranger, email, TEST_PASSWORD)).status).toBe(429);
  });

  it("counts a wrong password from the owner's address after the stranger's lock", async () => {
    const email = await newAccount();
    for (let i = 0; i < 5; i++) await signInFrom('198.51.100.9', email, WRONG);
    const owner = '203.0.113.22';
    for (let i = 0; i < 5; i++) expect((await signInFrom(owner, email, WRONG)).status).toBe(401);
    expect((await signInFrom(owner, email, TEST_PASSWORD)).status).toBe(429);
  });

  it('counts IPv6 clients per /64 for an account', async () => {
    const email = await newAccount();
    for (let i = 0; i < 5; i++) expect((await signInFrom(`2001:db8:7:1::${i + 1}`, email, WRONG)).status).toBe(401);
    expect((await signInFrom('2001:db8:7:1:ffff::9', email, TEST_PASSWORD)).status).toBe(429);
    expect((await signInFrom('2001:db8:7:2::1', email, TEST_PASSWORD)).status).toBe(200);
  });
});

describe('a distributed guesser against one account', () => {
  /** Wrong passwords from fresh addresses, four each (below the per-address lock), until the account answers 429. */
  async function guessUntilSlowed(email: string): Promise<{ statuses: number[]; last: ApiResponse }> {
    const statuses: number[] = [];
    for (;;) {
      const address = freshAddress();
      for (let i = 0; i < 4; i++) {
        const res = await signInFrom(address, email, WRONG);
        statuses.push(res.status);
        if (res.status !== 401) return { statuses, last: res };
      }
    }
  }

  it('gets 16 guesses, then one every 6 minutes; the owner is slowed, never locked out for longer', async () => {
    const email = await newAccount();
    const { statuses, last } = await guessUntilSlowed(email);
    expect(statuses.filter((s) => s === 401)).toHaveLength(16);
    expect(last.status).toBe(429);
    const wait = Number(last.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(6 * 60);
    // While the account's budget is spent, a fresh address gets no guess either: that is the bound.
    expect((await signInFrom(freshAddress(), email, TEST_PASSWORD)).status).toBe(429);
    clock += wait * 1000;
    expect((await signInFrom(freshAddress(), email, TEST_PASSWORD)).status).toBe(200);
  });

  it('stays within 16 + 10 per hour over two hours, however many addresses it uses', async () => {
    const email = await newAccount();
    const end = clock + 2 * HOUR;
    let guesses = 0;
    while (clock < end) {
      const res = await signInFrom(freshAddress(), email, WRONG);
      if (res.status === 401) guesses++;
      else if (res.status === 429) clock += Number(res.headers.get('retry-after')) * 1000;
      else throw new Error(`unexpected ${res.status}`);
    }
    expect(guesses).toBeGreaterThanOrEqual(16 + 19);
    expect(guesses).toBeLessThanOrEqual(16 + 21);
  });

  it('answers an unknown account exactly like a known one', async () => {
    const known = await guessUntilSlowed(await newAccount());
    const unknown = await guessUntilSlowed(`nobody-${net}@agency.example`);
    expect(known.statuses.filter((s) => s === 401)).toHaveLength(16);
    expect(unknown.statuses).toEqual(known.statuses);
    expect(unknown.last.headers.get('retry-after')).toBe(known.last.headers.get('retry-after'));
    expect(unknown.last.body).toEqual(known.last.body);
  });
});
