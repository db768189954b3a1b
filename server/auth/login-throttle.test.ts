import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymousClient, createTestUser, TEST_PASSWORD } from '../test/admin-client';
import { startTestApp, type TestApp } from '../test/test-app';
import { throttleKeyOfAddress } from './client-address';
import { ACCOUNT_ADDRESS_RULE, LoginThrottle } from './login-throttle';

let app: TestApp;
let clock = Date.parse('2025-03-01T10:00:00Z');
beforeAll(async () => {
  app = await startTestApp({}, { now: () => new Date(clock) });
});
afterAll(() => app.dispose());

describe('login throttling over HTTP', () => {
  it('locks an account after 5 failures with 429 and Retry-After, even for the right password', async () => {
    const user = await createTestUser(app, { roles: ['analyst'] });
    const anon = anonymousClient(app);
    for (let i = 0; i < 5; i++) {
      expect((await anon.post('/api/session', { email: user.email, password: 'wrong password' })).status).toBe(401);
    }
    const locked = await anon.post('/api/session', { email: user.email, password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_requests');
    expect(locked.body.error.message).toMatch(/Too many failed sign-ins\. Wait \d+ seconds?, then try again\./);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(locked.body.error.params).toEqual({ retryAfterSeconds: Number(locked.headers.get('retry-after')) });
    clock += 2000;
    expect((await anon.post('/api/session', { email: user.email, password: TEST_PASSWORD })).status).toBe(200);
  });

  it('locks a client address after 10 failures across different accounts', async () => {
    clock += 60 * 60 * 1000; // forget the previous test's failures
    const anon = anonymousClient(app);
    for (let i = 0; i < 10; i++) {
      expect((await anon.post('/api/session', { email: `guess-${i}@test.invalid`, password: 'guess guess' })).status).toBe(401);
    }
    const user = await createTestUser(app, { roles: ['analyst'] });
    const res = await anon.post('/api/session', { email: user.email, password: TEST_PASSWORD });
    expect(res.status).toBe(429);
    clock += 2000;
    expect((await anon.post('/api/session', { email: user.email, password: TEST_PASSWORD })).status).toBe(200);
  });

  it('counts parallel guesses so they cannot outrun the lock', async () => {
    clock += 60 * 60 * 1000;
    const user = await createTestUser(app, { roles: ['analyst'] });
    const anon = anonymousClient(app);
    const answers = await Promise.all(Array.from({ length: 8 }, () => anon.post('/api/session', { email: user.email, password: 'parallel guess' })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
  });
});

describe('LoginThrottle', () => {
  it('doubles the lock from 1 s up to 15 min', () => {
    let now = 0;
    const t = new LoginThrottle(ACCOUNT_ADDRESS_RULE, () => now);
    for (let i = 0; i < 4; i++) t.fail('k');
    expect(t.retryAfterMs('k')).toBe(0);
    t.fail('k');
    expect(t.retryAfterMs('k')).toBe(1000);
    t.fail('k');
    expect(t.retryAfterMs('k')).toBe(2000);
    for (let i = 0; i < 30; i++) t.fail('k');
    expect(t.retryAfterMs('k')).toBe(15 * 60 * 1000);
    now += 15 * 60 * 1000;
    expect(t.retryAfterMs('k')).toBe(0);
    t.reset('k');
    t.fail('k');
    expect(t.retryAfterMs('k')).toBe(0);
  });

  it('takes back a started attempt that succeeded, and stays bounded in memory', () => {
    const t = new LoginThrottle(ACCOUNT_ADDRESS_RULE, () => 0, 100);
    for (let i = 0; i < 5; i++) t.fail('k');
    t.undo('k');
    expect(t.retryAfterMs('k')).toBe(0);
    for (let i = 0; i < 1000; i++) t.fail(`key-${i}`);
    expect(t.retryAfterMs('key-0')).toBe(0);
    expect((t as unknown as { entries: Map<string, unknown> }).entries.size).toBeLessThanOrEqual(100);
  });
});

describe('LoginThrottle memory bound', () => {
  it('keeps a locked key when a flood of fresh keys fills the map', () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle(ACCOUNT_ADDRESS_RULE, () => now, 100);
    for (let i = 0; i < ACCOUNT_ADDRESS_RULE.freeFailures; i++) throttle.fail('victim@example.test');
    expect(throttle.retryAfterMs('victim@example.test')).toBeGreaterThan(0);
    for (let i = 0; i < 1000; i++) throttle.fail(`random-${i}@example.test`);
    now += 500; // still inside the victim's 1 s lock
    expect(throttle.retryAfterMs('victim@example.test')).toBeGreaterThan(0);
  });
});

describe('throttleKeyOfAddress', () => {
  it('counts IPv6 clients by their /64 and IPv4 clients by their address', () => {
    expect(throttleKeyOfAddress('2001:db8:1:2:aaaa::1')).toBe(throttleKeyOfAddress('2001:db8:1:2:ffff:1:2:3'));
    expect(throttleKeyOfAddress('2001:db8:1:2::1')).not.toBe(throttleKeyOfAddress('2001:db8:1:3::1'));
    expect(throttleKeyOfAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(throttleKeyOfAddress('::ffff:203.0.113.7')).toBe('::ffff:203.0.113.7');
  });
});
