import { describe, expect, it } from 'vitest';
import { HttpError } from '../http/http-error';
import { PasswordCheckGate } from './password-check-gate';

describe('PasswordCheckGate', () => {
  it('lets `max` checks run at once, answers 503 beyond, and frees a slot once per release', () => {
    const gate = new PasswordCheckGate(2);
    const a = gate.enter();
    const b = gate.enter();
    let refused: unknown;
    try {
      gate.enter();
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 503, code: 'unavailable', headers: { 'retry-after': '1' } });
    a();
    a(); // a second release of the same slot frees nothing more
    const c = gate.enter();
    expect(() => gate.enter()).toThrow(HttpError);
    b();
    c();
    gate.enter();
    gate.enter();
  });
});
