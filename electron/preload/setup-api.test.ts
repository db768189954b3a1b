import { describe, expect, it } from 'vitest';
import { createSetupApi } from './setup-api';

describe('createSetupApi (window.ceSetup)', () => {
  it('reaches exactly the Setup:* channels with coerced arguments and normalises replies', async () => {
    const calls: unknown[][] = [];
    const api = createSetupApi(async (...args) => {
      calls.push(args);
      return args[0] === 'Setup:current' ? { ok: true, value: null } : undefined;
    });
    expect(await api.current()).toEqual({ ok: true, value: null });
    expect(await api.probe('https://a.example')).toEqual({ ok: false, message: 'The app gave no answer.' });
    await api.chooseEmbedded('yes' as unknown as boolean);
    await api.connect('https://a.example', 'SHA256:x', 1 as unknown as boolean);
    expect(calls).toEqual([
      ['Setup:current'],
      ['Setup:probe', 'https://a.example'],
      ['Setup:chooseEmbedded', false],
      ['Setup:connect', 'https://a.example', 'SHA256:x', false],
    ]);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual(['chooseEmbedded', 'connect', 'current', 'probe']);
  });
});
