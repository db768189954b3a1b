import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMainLogger, errorMessage } from './logger';

describe('createMainLogger', () => {
  it('appends one line per entry to the log file, multi-line messages folded', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ce-log-'));
    const file = path.join(dir, 'logs', 'main.log');
    const log = createMainLogger({ file, quiet: true, now: () => new Date('2025-01-02T03:04:05Z') });
    log.info('started', { pid: 42 });
    log.error('line one\nline two', { error: 'x\ny' });
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual(['2025-01-02T03:04:05.000Z INFO  started pid=42', '2025-01-02T03:04:05.000Z ERROR line one line two error=x y']);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o077).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('turns anything thrown into one line', () => {
    expect(errorMessage(new Error('a\nb'))).toBe('a b');
    expect(errorMessage('plain')).toBe('plain');
  });
});
