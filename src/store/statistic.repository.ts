import type { SqlClient } from './sql-client.js';

/** One yearly value of a reference statistic for a place. */
export interface StatisticRow {
  placeId: string;
  year: number;
  value: number;
}

/** Reference statistics per place and year (UNAIDS prevalence, UN DESA migrant stock, …). */
export class StatisticRepository {
  constructor(private readonly db: SqlClient) {}

  /** Replaces every value of `indicator` with `rows`, in one statement. */
  async replaceIndicator(indicator: string, source: string, rows: StatisticRow[]): Promise<void> {
    await this.db.query('DELETE FROM place_statistics WHERE indicator = $1', [indicator]);
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO place_statistics (place_id, indicator, year, value, source)
       SELECT r.place_id, $1, r.year, r.value, $2
       FROM jsonb_to_recordset($3::jsonb) AS r(place_id text, year integer, value double precision)`,
      [indicator, source, JSON.stringify(rows.map((r) => ({ place_id: r.placeId, year: r.year, value: r.value })))],
    );
  }

  /** The yearly series of `indicator` for each of `placeIds` (all places when omitted). */
  async series(indicator: string, placeIds?: string[]): Promise<Map<string, Record<string, number>>> {
    const rows = await this.db.query<{ place_id: string; year: number; value: number }>(
      placeIds
        ? `SELECT place_id, year, value FROM place_statistics WHERE indicator = $1 AND place_id = ANY($2::text[]) ORDER BY year`
        : `SELECT place_id, year, value FROM place_statistics WHERE indicator = $1 ORDER BY year`,
      placeIds ? [indicator, placeIds] : [indicator],
    );
    const out = new Map<string, Record<string, number>>();
    for (const r of rows) {
      let s = out.get(r.place_id);
      if (!s) out.set(r.place_id, (s = {}));
      s[String(r.year)] = r.value;
    }
    return out;
  }
}
