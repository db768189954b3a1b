import { describe, expect, it } from 'vitest';
import { SETUP_CSP } from '../../common/csp';
import { setupAsset } from './setup-protocol';

describe('setupAsset', () => {
  it('serves the three setup files with the setup CSP', () => {
    expect(setupAsset('ce-setup://setup/index.html')).toMatchObject({ file: 'index.html', headers: { 'content-security-policy': SETUP_CSP, 'content-type': 'text/html; charset=utf-8' } });
    expect(setupAsset('ce-setup://setup/setup.js?x=1')?.file).toBe('setup.js');
    expect(setupAsset('ce-setup://setup/setup.css')?.headers['content-type']).toMatch(/text\/css/);
  });
  it('serves nothing else', () => {
    for (const url of ['ce-setup://setup/../main.cjs', 'ce-setup://setup/%2e%2e/main.cjs', 'ce-setup://other/index.html', 'ce-setup://setup/', 'ce-setup://setup/toString', 'https://setup/index.html']) {
      expect(setupAsset(url)).toBeNull();
    }
  });
  it('keeps the setup page off the network', () => {
    expect(SETUP_CSP).toContain("connect-src 'none'");
    expect(SETUP_CSP).toContain("default-src 'none'");
    expect(SETUP_CSP).not.toMatch(/unsafe/);
  });
});
