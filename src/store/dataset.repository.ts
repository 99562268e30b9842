import type { SqlClient } from './sql-client.js';

/** Which bundled datasets have been loaded into this store. */
export class DatasetRepository {
  constructor(private readonly db: SqlClient) {}

  async isLoaded(dataset: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM dataset_loads WHERE dataset = $1', [dataset])).length > 0;
  }

  async markLoaded(dataset: string, rows: number): Promise<void> {
    await this.db.query(
      `INSERT INTO dataset_loads (dataset, rows) VALUES ($1, $2)
       ON CONFLICT (dataset) DO UPDATE SET rows = EXCLUDED.rows, loaded_at = now()`,
      [dataset, rows],
    );
  }
}
