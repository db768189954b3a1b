import PDFDocument from 'pdfkit';
import type { Statement, StatementLang } from '../../common/schemas/statement';
import { formatCount, formatEur, formatMonth, formatPrices, formatTime, STATEMENT_TEXT } from './statement-text';

const MARGIN = 40;
const A4_WIDTH = 595.28;
const WIDTH = A4_WIDTH - 2 * MARGIN;

/** Column layout: label, width (pt), alignment. Numbers right-aligned. */
type Column = { label: string; width: number; align: 'left' | 'right' };

/**
 * A statement as an A4 PDF. pdfkit's built-in Helvetica uses WinAnsi encoding, which holds € and
 * the German umlauts, so no font file is embedded and the PDF loads nothing from anywhere.
 */
export function statementPdf(s: Statement, lang: StatementLang): Promise<Buffer> {
  const t = STATEMENT_TEXT[lang];
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `${s.kind === 'site' ? t.siteTitle : t.customerTitle} ${s.month}`, Producer: 'Creative Engine' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  if (s.agency) doc.font('Helvetica-Bold').fontSize(11).text(s.agency);
  doc.font('Helvetica-Bold').fontSize(16).text(s.kind === 'site' ? t.siteTitle : t.customerTitle).moveDown(0.5);
  doc.font('Helvetica').fontSize(10);
  if (s.kind === 'site') {
    doc.text(`${t.site}: ${s.site.name} (${s.site.domain})`);
    doc.text(`${t.publisher}: ${s.customer.name}`);
  } else {
    doc.text(`${t.customer}: ${s.customer.name}`);
  }
  doc.text(`${t.month}: ${formatMonth(s, lang)}`);
  const last = new Date(Date.parse(s.to) - 1).toISOString();
  doc.text(`${t.period}: ${formatTime(s.from, s, lang)} – ${formatTime(last, s, lang)} (${s.timeZone})`).moveDown();

  const cols: Column[] = [
    ...(s.kind === 'site' ? [{ label: t.zone, width: 70, align: 'left' as const }] : []),
    { label: t.campaign, width: s.kind === 'site' ? 85 : 120, align: 'left' },
    { label: t.served, width: 55, align: 'right' },
    { label: t.impressions, width: 60, align: 'right' },
    { label: t.viewable, width: 50, align: 'right' },
    { label: t.clicks, width: 40, align: 'right' },
    { label: t.price, width: s.kind === 'site' ? 85 : 120, align: 'left' },
  ];
  const used = cols.reduce((a, c) => a + c.width, 0);
  cols.push({ label: t.amount, width: WIDTH - used, align: 'right' });

  const row = (cells: string[], bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    const heights = cells.map((c, i) => doc.heightOfString(c, { width: cols[i]!.width - 4 }));
    const h = Math.max(...heights) + 4;
    if (doc.y + h > doc.page.height - MARGIN - 40) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      doc.text(c, x + 2, y + 2, { width: cols[i]!.width - 4, align: cols[i]!.align });
      x += cols[i]!.width;
    });
    doc.x = MARGIN;
    doc.y = y + h;
    doc.moveTo(MARGIN, doc.y).lineTo(MARGIN + WIDTH, doc.y).lineWidth(0.3).strokeColor('#999999').stroke();
  };

  row(cols.map((c) => c.label), true);
  for (const l of s.lines) {
    let price = formatPrices(l.prices, s, lang);
    if ('flatFeeExcluded' in l && l.flatFeeExcluded) price += ` (${t.flatExcluded})`;
    row([
      ...('zoneName' in l ? [l.zoneName] : []),
      l.campaignName, formatCount(l.served, lang), formatCount(l.impressions, lang), formatCount(l.viewable, lang), formatCount(l.clicks, lang),
      price, l.amount === null ? '–' : formatEur(l.amount, lang),
    ]);
  }
  if (s.lines.length === 0) doc.font('Helvetica').fontSize(9).text(t.empty, MARGIN, doc.y + 4).moveDown(0.5);
  const tot = s.total;
  row([...(s.kind === 'site' ? [''] : []), t.total, formatCount(tot.served, lang), formatCount(tot.impressions, lang), formatCount(tot.viewable, lang), formatCount(tot.clicks, lang), '', formatEur(tot.amount, lang)], true);

  doc.moveDown().font('Helvetica').fontSize(8).fillColor('#333333');
  doc.text(t.rounding, MARGIN, doc.y, { width: WIDTH });
  if (s.kind === 'site') doc.text(t.siteNote, { width: WIDTH });
  doc.text(`${t.createdAt}: ${formatTime(s.createdAt, s, lang)} (${s.timeZone})`, { width: WIDTH });
  doc.end();
  return done;
}
