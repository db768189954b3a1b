import fs from 'node:fs';
import path from 'node:path';

/** Every occurrence of one of `secrets` in any file below `dir` (UTF-8 and UTF-16LE), as `file: secret (encoding)`. */
export function findPlainText(dir: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const bytes = fs.readFileSync(file);
    for (const secret of secrets) {
      for (const enc of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(secret, enc))) found.push(`${path.relative(dir, file)}: ${secret} (${enc})`);
      }
    }
  }
  return found;
}
