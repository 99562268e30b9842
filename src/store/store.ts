import { AuditRepository } from './audit.repository.js';
import { DatasetRepository } from './dataset.repository.js';
import { PlaceRepository } from './place.repository.js';
import type { Dialect, SqlClient } from './sql-client.js';
import { StatisticRepository } from './statistic.repository.js';

/** Every repository, bound to one connection or transaction. */
export interface Repositories {
  places: PlaceRepository;
  statistics: StatisticRepository;
  datasets: DatasetRepository;
  audit: AuditRepository;
}

function repositories(db: SqlClient): Repositories {
  return {
    places: new PlaceRepository(db),
    statistics: new StatisticRepository(db),
    datasets: new DatasetRepository(db),
    audit: new AuditRepository(db),
  };
}

/** The persistence layer as services see it: repositories, and transactions over them. */
export class Store {
  readonly repos: Repositories;
  constructor(
    readonly db: SqlClient,
    private readonly onClose: () => void = () => undefined,
  ) {
    this.repos = repositories(db);
  }

  get dialect(): Dialect {
    return this.db.dialect;
  }

  /** Runs `fn` with repositories bound to one transaction: all its writes land, or none. */
  transaction<R>(fn: (repos: Repositories) => Promise<R>): Promise<R> {
    return this.db.transaction((tx) => fn(repositories(tx)));
  }

  async close(): Promise<void> {
    await this.db.close();
    this.onClose();
  }
}
