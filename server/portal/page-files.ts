import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log/logger';
import { renderMarkdown } from './markdown';
import type { PageLang, PageName } from './page-paths';

/** Largest operator page file read; a larger one is skipped (logged) and the next candidate or the default is shown. */
export const PAGE_FILE_LIMIT = 256 * 1024;

/**
 * The operator's content of a page: `body` is HTML for the page's main area, or, when the operator's
 * `.html` file is a whole document (starts with `<!doctype` or `<html`), that document as is.
 */
export interface OperatorPage {
  kind: 'fragment' | 'document';
  html: string;
}

interface Cached {
  mtimeMs: number;
  size: number;
  page: OperatorPage | null;
}

/**
 * The operator's page files in `<dataDir>/pages/`: `<page>.<lang>.html` (operator HTML, taken as is
 * but served under the pages' strict CSP, so no script runs) or else `<page>.<lang>.md` (the safe
 * Markdown subset), e.g. `privacy.de.md`, `imprint.en.html`, `contact.de.md` (text above the form).
 * Each request checks the file's mtime and size and re-reads it when it changed: no restart needed.
 */
export class PageFiles {
  private readonly cache = new Map<string, Cached>();

  constructor(readonly dir: string, private readonly log: Logger) {}

  /** The operator's version of a page in a language, or null when there is none (the default template is shown). */
  async load(name: PageName, lang: PageLang): Promise<OperatorPage | null> {
    for (const ext of ['html', 'md'] as const) {
      const page = await this.read(`${name}.${lang}.${ext}`, ext);
      if (page) return page;
    }
    return null;
  }

  private async read(fileName: string, ext: 'html' | 'md'): Promise<OperatorPage | null> {
    const file = path.join(this.dir, fileName);
    let stat;
    try {
      stat = await fs.stat(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.log.warn('public page file cannot be read', { file: fileName, error: code });
      this.cache.delete(file);
      return null;
    }
    if (!stat.isFile()) return null;
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.page;

    let page: OperatorPage | null = null;
    if (stat.size > PAGE_FILE_LIMIT) {
      // Logged once per version of the file (the result is cached like any other).
      this.log.warn(`public page file is larger than ${PAGE_FILE_LIMIT / 1024} KiB and is ignored; the next file or the default template is shown`, { file: fileName, bytes: stat.size });
    } else {
      try {
        const text = (await fs.readFile(file, 'utf8')).replace(/^\uFEFF/, '');
        page = ext === 'md' ? { kind: 'fragment', html: renderMarkdown(text) } : { kind: /^\s*<(!doctype|html)[\s>]/i.test(text) ? 'document' : 'fragment', html: text };
      } catch (err) {
        this.log.warn('public page file cannot be read', { file: fileName, error: (err as NodeJS.ErrnoException).code });
        return null;
      }
    }
    this.cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, page });
    return page;
  }
}
