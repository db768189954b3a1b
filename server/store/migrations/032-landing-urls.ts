import { normaliseLandingUrl } from '../../../common/schemas/landing-url';
import type { Db } from '../database';
import type { Migration } from './index';

/** Put before the name of a creative this migration paused, so staff see in the console why it stopped. */
export const UNUSABLE_LANDING_MARK = '[Paused: landing URL unusable] ';

/**
 * Landing URLs saved before there was one normaliser (common/schemas/landing-url.ts) could hold
 * characters a Location header cannot carry (`https://shop.example/€`, IDN hosts: every click
 * answered 500) or no address at all (`:99999`). Each stored URL is rewritten to its normalised
 * ASCII form. A URL that cannot be normalised is kept as it was, so staff can see what was typed
 * and correct it, but its creative is paused and its name starts with UNUSABLE_LANDING_MARK:
 * delivery leaves such a creative out and its clicks answer 404, so nobody is ever redirected to
 * a guess. Saving a corrected landing URL (PATCH) and resuming makes it serve again.
 */
export const m032LandingUrls: Migration = {
  version: 32,
  name: 'landing-urls',
  up: '',
  data(db: Db) {
    const rows = db.prepare('SELECT id, name, landing_url AS landingUrl FROM creatives').all() as Array<{ id: string; name: string; landingUrl: string }>;
    const at = new Date().toISOString();
    const rewrite = db.prepare('UPDATE creatives SET landing_url = ?, updated_at = ? WHERE id = ?');
    const pause = db.prepare("UPDATE creatives SET status = 'paused', name = ?, updated_at = ? WHERE id = ?");
    for (const row of rows) {
      const result = normaliseLandingUrl(row.landingUrl);
      if (result.ok) {
        if (result.url !== row.landingUrl) rewrite.run(result.url, at, row.id);
      } else {
        pause.run(row.name.startsWith(UNUSABLE_LANDING_MARK) ? row.name : UNUSABLE_LANDING_MARK + row.name, at, row.id);
      }
    }
  },
};
