import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The lint configuration itself, run through ESLint's Node API on small files written inside the
// repository (typed linting finds them through server/tsconfig.json, which includes ./**/*.ts):
// an import cycle and a boundary violation must fail `npm run lint`, clean code must pass.
const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'server', `__lint_fixture_${process.pid}__`);

const fixtures: Record<string, string> = {
  'cycle-a.ts': "import { b } from './cycle-b';\n\n/** One half of a cycle. */\nexport const a = (): number => b() + 1;\n",
  'cycle-b.ts': "import { a } from './cycle-a';\n\n/** The other half. */\nexport const b = (): number => (a.length > 0 ? 1 : 0);\n",
  'boundary.ts': "import type { Router } from '../../renderer/src/router';\n\n/** The server reaching into the renderer. */\nexport type R = Router;\n",
  'clean.ts': "import { newId } from '../store/new-id';\n\n/** An ordinary module. */\nexport const clean = (): string => newId();\n",
};

let results: Map<string, ESLint.LintResult>;

beforeAll(async () => {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(fixtures)) fs.writeFileSync(path.join(dir, name), text);
  const eslint = new ESLint({ cwd: root });
  const linted = await eslint.lintFiles(Object.keys(fixtures).map((name) => path.join(dir, name)));
  results = new Map(linted.map((r) => [path.basename(r.filePath), r]));
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const rulesOf = (name: string) => results.get(name)?.messages.map((m) => m.ruleId ?? m.message) ?? ['(not linted)'];

describe('lint configuration', () => {
  it('fails a two-file import cycle (import-x/no-cycle)', () => {
    expect(rulesOf('cycle-a.ts')).toContain('import-x/no-cycle');
    expect(rulesOf('cycle-b.ts')).toContain('import-x/no-cycle');
  });

  it('fails server/ importing renderer/ (no-restricted-imports)', () => {
    expect(rulesOf('boundary.ts')).toEqual(['no-restricted-imports']);
  });

  it('passes a clean file', () => {
    expect(rulesOf('clean.ts')).toEqual([]);
  });
});
