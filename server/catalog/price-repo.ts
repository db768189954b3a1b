import { effectiveHourMs, fromMicros, priceAt, toMicros, type CampaignPrice, type PriceModel } from '../../common/schemas/pricing';
import type { Db } from '../store/database';

interface PriceRow {
  id: number;
  model: string;
  amount_micros: number;
  effective_from: string;
  created_by: string;
  created_at: string;
}

const toPrice = (r: PriceRow): CampaignPrice => ({
  id: r.id,
  model: r.model as PriceModel,
  amount: fromMicros(r.amount_micros),
  effectiveFrom: r.effective_from,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Campaign price histories: the only SQL writing campaign_prices. Rows are appended, never changed. */
export class PriceRepo {
  private readonly listStmt;
  private readonly insertStmt;

  constructor(db: Db) {
    this.listStmt = db.prepare('SELECT * FROM campaign_prices WHERE campaign_id = ? ORDER BY effective_from, id');
    this.insertStmt = db.prepare('INSERT INTO campaign_prices (campaign_id, effective_from, model, amount_micros, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** A campaign's history, in the order prices take effect (same hour: the later entry wins). */
  list(campaignId: string): CampaignPrice[] {
    return (this.listStmt.all(campaignId) as PriceRow[]).map(toPrice);
  }

  /** The price in effect during the hour of `at` (see priceAt); null when none was ever set. */
  current(campaignId: string, at: Date): CampaignPrice | null {
    const history = this.list(campaignId).map((p) => ({ ...p, effectiveHourMs: effectiveHourMs(p.effectiveFrom) }));
    const hour = at.getTime() - (at.getTime() % 3_600_000);
    const found = priceAt(history, hour);
    if (!found) return null;
    const { effectiveHourMs: _, ...price } = found;
    return price;
  }

  /** Appends a price (amount in EUR, stored as whole micro-euros); call inside a transaction. */
  insert(campaignId: string, p: { model: PriceModel; amount: number; effectiveFrom: string }, createdBy: string, at: string): number {
    return Number(this.insertStmt.run(campaignId, p.effectiveFrom, p.model, toMicros(p.amount), createdBy, at).lastInsertRowid);
  }
}
