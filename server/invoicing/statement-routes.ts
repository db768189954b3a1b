import { STATEMENT_FORMATS, STATEMENT_LANGS, type Statement, type StatementFormat, type StatementLang } from '../../common/schemas/statement';
import { adminRoute, type AdminState } from '../admin/admin-route';
import { attachmentDisposition } from '../http/header-value';
import { badRequest, notFound } from '../http/http-error';
import type { RouteContext, Router } from '../http/router';
import type { StatsService } from '../stats/stats-service';
import type { SettingsRepo } from '../store/settings-repo';
import type { AppContext } from '../app-context';
import { statementCsv } from './statement-csv';
import { parseStatementMonth } from './statement-month';
import { statementPdf } from './statement-pdf';
import { StatementRepo } from './statement-repo';
import { customerStatement, siteStatement, type StatementSources } from './statements';

/** `2025-06.pdf` → month and format; `?format=` does the same for a bare month. */
function monthAndFormat(raw: string | undefined, query: URLSearchParams): { month: string | undefined; format: StatementFormat } {
  const m = raw ? /^(.*)\.(json|csv|pdf)$/.exec(raw) : null;
  const fmt = m ? m[2] : (query.get('format') ?? 'json');
  if (!(STATEMENT_FORMATS as readonly string[]).includes(fmt!)) throw badRequest('format must be json, csv or pdf.');
  return { month: m ? m[1] : raw, format: fmt as StatementFormat };
}

function langOf(query: URLSearchParams): StatementLang {
  const lang = query.get('lang') ?? 'de';
  if (!(STATEMENT_LANGS as readonly string[]).includes(lang)) throw badRequest('lang must be de or en.');
  return lang as StatementLang;
}

/** Sends a statement as JSON, or as a CSV or PDF download. */
async function send(ctx: RouteContext<AdminState>, s: Statement, format: StatementFormat, lang: StatementLang, name: string): Promise<unknown> {
  if (format === 'json') return s;
  const body = format === 'csv' ? Buffer.from(statementCsv(s, lang), 'utf8') : await statementPdf(s, lang);
  const { res } = ctx;
  res.statusCode = 200;
  res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf');
  res.setHeader('content-disposition', attachmentDisposition(`${name}-${s.month}-${lang}.${format}`));
  res.setHeader('content-length', body.length);
  res.setHeader('cache-control', 'no-store');
  res.end(body);
  return undefined;
}

/**
 * Monthly statements (the invoicing basis) of customers and sites, as JSON, CSV or PDF. Downloads
 * are not audited: a statement holds delivery counts and prices (business data every role that
 * reads statistics sees already), no personal data.
 */
export function registerStatementRoutes(ctx: AppContext, admin: Router<AdminState>, stats: StatsService, settings: SettingsRepo): void {
  const repo = new StatementRepo(ctx.db);
  const sources = (): StatementSources => {
    // Flushing first makes the statement include the last second's counts.
    stats.flush();
    return { stats: stats.repo, statements: repo, agency: settings.get('name'), now: ctx.now() };
  };

  adminRoute(admin, 'GET /api/customers/:id/statements/:month', async (rc) => {
    const { month, format } = monthAndFormat(rc.params.month, rc.query);
    const lang = langOf(rc.query);
    const customer = rc.params.id ? repo.customer(rc.params.id) : undefined;
    if (!customer) throw notFound('The customer');
    const range = parseStatementMonth(month, ctx.now(), stats.timeZone);
    return send(rc, customerStatement(sources(), customer, range), format, lang, `statement-${customer.id}`);
  });

  adminRoute(admin, 'GET /api/sites/:id/statements/:month', async (rc) => {
    const { month, format } = monthAndFormat(rc.params.month, rc.query);
    const lang = langOf(rc.query);
    const site = rc.params.id ? repo.site(rc.params.id) : undefined;
    if (!site) throw notFound('The site');
    const range = parseStatementMonth(month, ctx.now(), stats.timeZone);
    return send(rc, siteStatement(sources(), site, range), format, lang, `statement-${site.id}`);
  });
}
