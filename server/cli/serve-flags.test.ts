import { afterEach, describe, expect, it, vi } from 'vitest';
import { parsePublicOrigin } from '../command/args';
import { main } from './main';
import { workersFrom } from './serve-config';

afterEach(() => vi.restoreAllMocks());

describe('--public-url', () => {
  it('keeps an origin in its ASCII form and refuses anything else', () => {
    expect(parsePublicOrigin('https://Ads.Example.com/', '--public-url')).toBe('https://ads.example.com');
    expect(parsePublicOrigin('https://werbung.bücher.example:8443', '--public-url')).toBe('https://werbung.xn--bcher-kva.example:8443');
    for (const bad of ['ads.example.com', 'ftp://ads.example', 'https://ads.example/path', 'https://u:p@ads.example', 'https://ads.example/?q', 'https://ads.example:99999']) {
      expect(() => parsePublicOrigin(bad, '--public-url'), bad).toThrow(/--public-url must be an http\(s\) origin/);
    }
  });
});

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

describe('--workers', () => {
  it('takes 1 to 16 delivery workers, one per core by default (at most 16)', () => {
    expect(workersFrom(undefined, 1)).toBe(1);
    expect(workersFrom(undefined, 8)).toBe(8);
    expect(workersFrom(undefined, 64)).toBe(16);
    expect(workersFrom('1', 8)).toBe(1);
    expect(workersFrom('16', 2)).toBe(16);
    for (const bad of ['0', '17', '2.5', 'two', '-1', '']) expect(() => workersFrom(bad, 2), bad).toThrow(/--workers must be a whole number from 1 to 16/);
  });
});

