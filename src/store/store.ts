import { AuditRepository } from './audit.repository.js';
import { CorridorRepository } from './corridor.repository.js';
import { FlowRepository } from './flow.repository.js';
import { PolicyRepository } from './policy.repository.js';
import { ProjectRepository } from './project.repository.js';
import { ReferenceRepository } from './reference.repository.js';
import { SiteRepository } from './site.repository.js';
import { UserRepository } from './user.repository.js';
import { DataValueRepository } from './data-value.repository.js';
import { MetadataRepository } from './metadata.repository.js';
import { DatasetRepository } from './dataset.repository.js';
import { PlaceRepository } from './place.repository.js';
import type { Dialect, SqlClient } from './sql-client.js';
import { StatisticRepository } from './statistic.repository.js';
import { WorkflowRepository } from './workflow.repository.js';

/** Every repository, bound to one connection or transaction. */
export interface Repositories {
  places: PlaceRepository;
  statistics: StatisticRepository;
  datasets: DatasetRepository;
  audit: AuditRepository;
  reference: ReferenceRepository;
  sites: SiteRepository;
  corridors: CorridorRepository;
  flows: FlowRepository;
  projects: ProjectRepository;
  policies: PolicyRepository;
  users: UserRepository;
  metadata: MetadataRepository;
  dataValues: DataValueRepository;
  workflow: WorkflowRepository;
}

function repositories(db: SqlClient): Repositories {
  return {
    places: new PlaceRepository(db),
    statistics: new StatisticRepository(db),
    datasets: new DatasetRepository(db),
    audit: new AuditRepository(db),
    reference: new ReferenceRepository(db),
    sites: new SiteRepository(db),
    corridors: new CorridorRepository(db),
    flows: new FlowRepository(db),
    projects: new ProjectRepository(db),
    policies: new PolicyRepository(db),
    users: new UserRepository(db),
    metadata: new MetadataRepository(db),
    dataValues: new DataValueRepository(db),
    workflow: new WorkflowRepository(db),
  };
}

/** The persistence layer as services see it: repositories, and transactions over them. */
export class Store {
  readonly repos: Repositories;
  private gen = 0;
  constructor(
    readonly db: SqlClient,
    private readonly onClose: () => void = () => undefined,
  ) {
    this.repos = repositories(db);
  }

  get dialect(): Dialect {
    return this.db.dialect;
  }

  /**
   * The data generation: it changes whenever a transaction ends (every write is one), so a cached
   * answer computed at one generation is stale at any other. Counted in this process only.
   */
  get generation(): number {
    return this.gen;
  }

  /** Runs `fn` with repositories bound to one transaction: all its writes land, or none. */
  async transaction<R>(fn: (repos: Repositories) => Promise<R>): Promise<R> {
    try {
      return await this.db.transaction((tx) => fn(repositories(tx)));
    } finally {
      // Also after a rollback: cheaper to recompute than to reason about a partial write.
      this.gen++;
    }
  }

  /**
   * Runs `fn` in a transaction that is always rolled back, and returns what it returned: a
   * validate-only import runs every check and count of the real one and leaves the store as it was.
   */
  async rehearse<R>(fn: (repos: Repositories) => Promise<R>): Promise<R> {
    const rollback = Symbol('rollback');
    let result: { value: R } | undefined;
    try {
      await this.db.transaction(async (tx) => {
        result = { value: await fn(repositories(tx)) };
        throw rollback;
      });
    } catch (e) {
      if (e !== rollback) throw e;
    }
    return result!.value;
  }

  async close(): Promise<void> {
    await this.db.close();
    this.onClose();
  }
}
