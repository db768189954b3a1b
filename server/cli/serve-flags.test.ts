import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main';

afterEach(() => vi.restoreAllMocks());

describe('serve flags', () => {
  it('refuses a sealed-log buffer that is not a whole number of at least 1', async () => {
    for (const [flag, value] of [['--seal-buffer-mb', '0'], ['--seal-buffer-mb', '1.5'], ['--seal-buffer-records', '0x10'], ['--seal-buffer-records', 'many']]) {
      const err: string[] = [];
      vi.spyOn(console, 'error').mockImplementation((m: string) => void err.push(m));
      expect(await main(['serve', flag!, value!])).toBe(2);
      expect(err.join('\n')).toContain(`${flag} must be a whole number of at least 1`);
      vi.restoreAllMocks();
    }
  });
});
