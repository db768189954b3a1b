import { loadDemoData } from './demo-data';
import { AuditLog } from '../audit/audit-log';
import { openDatabase } from '../store/database';
import { parseFlags, parsePublicOrigin, required, type Command } from '../command/args';

/** `demo`: loads the clearly labelled demo data set and prints the tags to paste into a page. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'load a small, clearly labelled demo data set (customers, site, zones, campaigns, creatives)',
  usage: 'demo --data DIR [--public-url URL]',
  async run(argv) {
    const f = parseFlags(argv, { data: { type: 'string' }, 'public-url': { type: 'string' } });
    const dataDir = required(f.data, '--data');
    const publicUrl = parsePublicOrigin(f['public-url'] ?? 'http://127.0.0.1:8080', '--public-url');
    const db = openDatabase(dataDir);
    try {
      const result = loadDemoData(db, new AuditLog(db), new Date());
      const lines = [`Loaded the demo data set into ${dataDir} (every name starts with "Demo –"):`, ''];
      for (const zone of result.zones) {
        lines.push(`zone ${zone.id}  ${zone.name} (${zone.width}x${zone.height})`);
        lines.push(`  script tag:  <script src="${publicUrl}/v1/zone/${zone.id}.js"></script>`);
        lines.push(`  iframe tag:  <iframe src="${publicUrl}/v1/zone/${zone.id}/frame" width="${zone.width}" height="${zone.height}" style="border:0" scrolling="no" title="Advertisement"></iframe>`);
      }
      lines.push('', `Campaigns: ${result.campaignIds.join(', ')} (${result.creativeIds.length} creatives). A running server picks them up after a restart.`);
      console.log(lines.join('\n'));
      return 0;
    } finally {
      db.close();
    }
  },
};
