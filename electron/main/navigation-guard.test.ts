import { describe, expect, it } from 'vitest';
import { checkExternalLink, frameNavigationDecision, MAX_EXTERNAL_URL, navigationDecision, windowOpenDecision } from './navigation-guard';

const ADMIN = 'http://127.0.0.1:43123';

describe('navigationDecision', () => {
  it('allows navigation within the admin origin only', () => {
    expect(navigationDecision(`${ADMIN}/`, ADMIN)).toEqual({ action: 'allow' });
    expect(navigationDecision(`${ADMIN}/campaigns/cmp_x?tab=stats#top`, ADMIN)).toEqual({ action: 'allow' });
    // Same host, other port: another origin (e.g. the delivery listener).
    expect(navigationDecision('http://127.0.0.1:8080/', ADMIN).action).toBe('block');
    expect(navigationDecision('http://localhost:43123/', ADMIN).action).toBe('block');
    expect(navigationDecision('file:///etc/passwd', ADMIN).action).toBe('block');
    expect(navigationDecision('javascript:alert(1)', ADMIN).action).toBe('block');
    expect(navigationDecision('data:text/html,<h1>x</h1>', ADMIN).action).toBe('block');
    expect(navigationDecision('about:blank', ADMIN).action).toBe('block');
    expect(navigationDecision('not a url', ADMIN).action).toBe('block');
  });

  it('sends acceptable https links to the system browser instead of navigating', () => {
    expect(navigationDecision('https://example.com/help', ADMIN)).toEqual({ action: 'open-external', url: 'https://example.com/help' });
    expect(navigationDecision('http://example.com/', ADMIN)).toMatchObject({ action: 'block', reason: expect.stringMatching(/https/) });
  });

  it('never allows a new window, not even on the admin origin', () => {
    expect(windowOpenDecision(`${ADMIN}/`, ADMIN).action).toBe('block');
    expect(windowOpenDecision('https://example.com/a', ADMIN)).toEqual({ action: 'open-external', url: 'https://example.com/a' });
    expect(windowOpenDecision('', ADMIN).action).toBe('block');
  });
});

describe('checkExternalLink', () => {
  it('accepts plain https links and returns them normalised', () => {
    expect(checkExternalLink('https://EXAMPLE.com/path?q=1', ADMIN)).toEqual({ ok: true, url: 'https://example.com/path?q=1' });
  });

  it.each([
    ['http://example.com/', /https/],
    ['ftp://example.com/', /https/],
    ['file:///C:/Windows/system32/calc.exe', /https/],
    ['smb://evil/share', /https/],
    ['javascript:alert(1)', /https/],
    ['https://user:pw@example.com/', /credentials/],
    ['https://user@example.com/', /credentials/],
    ['https://localhost/', /this computer/],
    ['https://localhost./', /this computer/],
    ['https://app.localhost/', /this computer/],
    ['https://127.0.0.1:8081/', /this computer/],
    ['https://2130706433/', /this computer/],
    ['https://0x7f.1/', /this computer/],
    ['https://[::1]/', /this computer/],
    ['https://[::ffff:127.0.0.1]/', /this computer/],
    ['https://0.0.0.0/', /this computer/],
    ['https://exa mple.com/', /spaces/],
    ['https://example.com/\nx', /spaces/],
    ['https://', /valid/],
    ['', /not a link/],
  ])('refuses %s', (url, reason) => {
    const check = checkExternalLink(url, ADMIN);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });

  it('refuses the admin origin even over https, overlong links and non-strings', () => {
    expect(checkExternalLink('https://console.example.com/x', 'https://console.example.com').ok).toBe(false);
    expect(checkExternalLink(`https://example.com/${'a'.repeat(MAX_EXTERNAL_URL)}`, ADMIN).ok).toBe(false);
    expect(checkExternalLink(42, ADMIN).ok).toBe(false);
    expect(checkExternalLink(undefined, ADMIN).ok).toBe(false);
  });
});

describe('frameNavigationDecision (will-frame-navigate)', () => {
  it('lets sub-frames show the admin origin and inline previews only, never opening the browser', () => {
    expect(frameNavigationDecision(`${ADMIN}/preview`, ADMIN, false)).toEqual({ action: 'allow' });
    expect(frameNavigationDecision('about:srcdoc', ADMIN, false)).toEqual({ action: 'allow' });
    expect(frameNavigationDecision('about:blank', ADMIN, false)).toEqual({ action: 'allow' });
    expect(frameNavigationDecision('https://example.com/', ADMIN, false).action).toBe('block');
    expect(frameNavigationDecision('http://127.0.0.1:8080/v1/zone/z/frame', ADMIN, false).action).toBe('block');
    expect(frameNavigationDecision('javascript:alert(1)', ADMIN, false).action).toBe('block');
    expect(frameNavigationDecision('data:text/html,x', ADMIN, false).action).toBe('block');
    expect(frameNavigationDecision(`${ADMIN}/`, '', false).action).toBe('block');
  });
  it('treats the main frame like will-navigate', () => {
    expect(frameNavigationDecision(`${ADMIN}/`, ADMIN, true)).toEqual({ action: 'allow' });
    expect(frameNavigationDecision('https://example.com/', ADMIN, true)).toEqual({ action: 'open-external', url: 'https://example.com/' });
    expect(frameNavigationDecision('about:srcdoc', ADMIN, true).action).toBe('block');
  });
  it('works for a remote https admin origin (connect mode)', () => {
    const REMOTE = 'https://ads.example.eu';
    expect(frameNavigationDecision(`${REMOTE}/x`, REMOTE, false)).toEqual({ action: 'allow' });
    expect(navigationDecision(`${REMOTE}/campaigns`, REMOTE)).toEqual({ action: 'allow' });
    expect(navigationDecision('https://ads.example.eu.evil.example/', REMOTE).action).not.toBe('allow');
  });
});
