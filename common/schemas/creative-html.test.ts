import { describe, expect, it } from 'vitest';
import { utf8Length } from './creative-html';

// What HTML creatives may contain is checked on the server: server/catalog/html-creative-policy.test.ts.
describe('utf8Length', () => {
  it('counts UTF-8 bytes', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
  });
});
