/**
 * Outside parts some tests need (the OS keychain, Debian's Chromium, the age CLI). Outside CI a test
 * file may skip when one is missing; under CI=true a missing part is a failing test instead, so a run
 * can never pass by silently skipping what it was meant to check (.ci/run installs all of them).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, it } from 'vitest';

export interface Requirement {
  name: string;
  available: boolean;
  /** How to get it, for the failure message. */
  hint: string;
}

/** Whether this is a CI run, where nothing may be skipped for want of an outside part. */
export const STRICT = /^(1|true|yes)$/i.test(process.env.CI ?? '');

/** An unlocked gnome-keyring in a private D-Bus session, set up by scripts/test.sh. */
export const KEYRING: Requirement = {
  name: 'the OS keychain (gnome-keyring over D-Bus)',
  available: !!process.env.CE_KEYRING_READY,
  hint: 'run the tests through `npm test` (scripts/test.sh) with dbus and gnome-keyring installed',
};

/** The path of Debian's Chromium (or CHROMIUM_PATH). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM: Requirement = { name: 'Chromium', available: fs.existsSync(CHROMIUM_PATH), hint: 'apt-get install chromium (or set CHROMIUM_PATH)' };

export const AGE_CLI: Requirement = {
  name: 'the age CLI',
  available: (() => {
    try {
      execFileSync('age', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })(),
  hint: 'apt-get install age',
};

/** poppler's pdftotext, which reads back the text of statement PDFs. */
export const PDFTOTEXT: Requirement = {
  name: 'pdftotext (poppler-utils)',
  available: (() => {
    try {
      execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })(),
  hint: 'apt-get install poppler-utils',
};

/**
 * For `describe.skipIf(missing(KEYRING))`: true when the part is missing. Under CI it also registers a
 * test that fails, naming the part, so the skip cannot go unnoticed.
 */
export function missing(requirement: Requirement): boolean {
  if (requirement.available) return false;
  if (STRICT) {
    describe(`needs ${requirement.name}`, () => {
      it('is available on this CI machine', () => {
        throw new Error(`${requirement.name} is missing: ${requirement.hint}. Under CI=true such tests fail instead of being skipped.`);
      });
    });
  }
  return true;
}
