import { authorize, type Actor } from '../domain/access.js';
import type { Store } from '../store/index.js';
import type { AuditFilter } from '../store/audit.repository.js';

/** Reading the audit trail: admins see everything, country managers the writes within their scope. */
export class AuditService {
  constructor(private readonly store: Store) {}

  async list(actor: Actor, f: Omit<AuditFilter, 'withinPaths'>) {
    authorize(actor, 'audit:read');
    const page = await this.store.repos.audit.list({ ...f, withinPaths: actor.scopePaths });
    return { items: page.items.map(({ placePath: _p, ...e }) => e), total: page.total, limit: f.limit, offset: f.offset };
  }

  /** The actions, object types and actors the reader's part of the trail holds, with counts: the audit filters' choices. */
  async facets(actor: Actor) {
    authorize(actor, 'audit:read');
    return this.store.repos.audit.facets(actor.scopePaths);
  }
}
