import { authorize, inScope, type Actor } from '../domain/access.js';
import { AppError, invalidInput, type Issue } from '../domain/errors.js';
import { CorridorInputSchema, FlowInputSchema, type CorridorInput, type FlowInput } from '../domain/registry.js';
import { labelIssues } from '../domain/validation.js';
import { newUid } from '../lib/uid.js';
import { parseFlowCsv } from './site-import.js';
import type { Repositories, Store } from '../store/index.js';
import type { CorridorRow } from '../store/corridor.repository.js';
import type { FlowFilter, FlowStored } from '../store/flow.repository.js';
import { spansBeyondScope } from '../domain/write-scope.js';

/**
 * Resolves place codes to ids, naming the field of each unknown one. A place outside the actor's
 * scope (other than a country, which is reference geography) is reported as unknown.
 */
async function placeIds(repos: Repositories, actor: Actor, codes: { field: string; code: string }[], issues: Issue[]): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (const { field, code } of codes) {
    const place = await repos.places.findByCode(code);
    const visible = place && (place.level === 'country' || inScope(actor, (await repos.places.pathOf(place.id))!));
    if (!visible) issues.push({ field, value: code, message: 'is not the code of a known place' });
    out.push(visible ? place.id : null);
  }
  return out;
}

/** Corridors (ordered routes of places) and flows (counts of people moving between places). */
export class CorridorService {
  constructor(private readonly store: Store) {}

  /** Corridors with the places the actor may see (countries, and places in scope), in route order. */
  private async withPlaces(actor: Actor, rows: CorridorRow[]) {
    const places = await this.store.repos.corridors.places(rows.map((r) => r.id));
    return rows.map((r) => ({
      ...r,
      places: places
        .filter((p) => p.corridorId === r.id && (p.level === 'country' || inScope(actor, p.path)))
        .map(({ corridorId: _c, path: _p, level: _l, ...p }) => p),
    }));
  }

  /** Corridors (for a scoped actor: those through a place in scope). */
  async list(actor: Actor, limit: number, offset: number) {
    authorize(actor, 'registry:read');
    const page = await this.store.repos.corridors.list(limit, offset, actor.scopePaths);
    return { items: await this.withPlaces(actor, page.items), total: page.total, limit, offset };
  }

  private async visibleCorridor(actor: Actor, id: string): Promise<CorridorRow> {
    const row = await this.store.repos.corridors.get(id);
    const seen =
      row && (actor.scopePaths === null || (await this.store.repos.corridors.places([id])).some((p) => p.level !== 'country' && inScope(actor, p.path)));
    if (!row || !seen) throw new AppError('NOT_FOUND', `no corridor has id "${id}"`, { id });
    return row;
  }

  async get(actor: Actor, id: string) {
    authorize(actor, 'registry:read');
    return (await this.withPlaces(actor, [await this.visibleCorridor(actor, id)]))[0]!;
  }

  /**
   * The corridor, for replacing or deleting it: 404 when the actor sees none of it, 403 when its
   * route also passes places outside the actor's scope (a country counts as covered only when it
   * lies in the scope). A route is one ordered whole: a filtered view of it is never written back.
   */
  private async writableCorridor(actor: Actor, id: string): Promise<CorridorRow> {
    const row = await this.visibleCorridor(actor, id);
    if (actor.scopePaths !== null && !(await this.store.repos.corridors.places([id])).every((p) => inScope(actor, p.path))) {
      throw spansBeyondScope('corridor', `${row.code} (${row.name})`);
    }
    return row;
  }

  /** Corridors as GeoJSON lines through their places. */
  async featureCollection(actor: Actor, limit: number, offset: number) {
    const page = await this.list(actor, limit, offset);
    return {
      type: 'FeatureCollection' as const,
      features: page.items.map(({ places, ...c }) => ({
        type: 'Feature' as const,
        id: c.id,
        geometry: {
          type: 'LineString' as const,
          coordinates: places.filter((p) => p.latitude !== null && p.longitude !== null).map((p) => [p.longitude!, p.latitude!]),
        },
        properties: { ...c, places: places.map((p) => p.code) },
      })),
      total: page.total,
      limit,
      offset,
    };
  }

  private async save(repos: Repositories, actor: Actor, input: CorridorInput, existing: CorridorRow | null) {
    const issues: Issue[] = [];
    const ids = await placeIds(
      repos,
      actor,
      input.places.map((code, k) => ({ field: `places.${k}`, code })),
      issues,
    );
    const holder = await repos.corridors.getByCode(input.code);
    if (holder && holder.id !== existing?.id) issues.push({ field: 'code', value: input.code, message: 'is already the code of another corridor' });
    if (issues.length > 0) throw invalidInput('corridor', labelIssues(CorridorInputSchema, issues));
    const row: CorridorRow = {
      id: existing?.id ?? newUid(),
      code: input.code,
      name: input.name,
      description: input.description ?? null,
      illustrative: input.illustrative,
    };
    await repos.corridors.save(row, ids as string[]);
    // A corridor spans countries: its entries are for unscoped readers only (no place path).
    await repos.audit.append([
      {
        actor: actor.label,
        action: existing ? 'update' : 'create',
        objectType: 'corridor',
        objectId: row.id,
        before: existing,
        after: { ...row, places: input.places },
      },
    ]);
    return row.id;
  }

  /** Creates the corridor, or replaces the one with the same code (`upsert`) or id. */
  async create(actor: Actor, input: CorridorInput, opts: { upsert?: boolean } = {}) {
    authorize(actor, 'registry:write');
    const existing = opts.upsert ? await this.store.repos.corridors.getByCode(input.code) : null;
    if (existing) await this.writableCorridor(actor, existing.id);
    const id = await this.store.transaction((repos) => this.save(repos, actor, input, existing));
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, input: CorridorInput) {
    authorize(actor, 'registry:write');
    const existing = await this.writableCorridor(actor, id);
    await this.store.transaction((repos) => this.save(repos, actor, input, existing));
    return this.get(actor, id);
  }

  async delete(actor: Actor, id: string): Promise<void> {
    authorize(actor, 'registry:write');
    const existing = await this.writableCorridor(actor, id);
    await this.store.transaction(async (repos) => {
      await repos.corridors.delete(id);
      await repos.audit.append([{ actor: actor.label, action: 'delete', objectType: 'corridor', objectId: id, before: existing }]);
    });
  }

  private async flowFilter(
    repos: Repositories,
    actor: Actor,
    q: { corridor?: string | undefined; from?: string | undefined; to?: string | undefined; periodStart?: string | undefined; periodEnd?: string | undefined },
  ): Promise<Omit<FlowFilter, 'limit' | 'offset'>> {
    const issues: Issue[] = [];
    const [fromId] = q.from ? await placeIds(repos, actor, [{ field: 'from', code: q.from }], issues) : [undefined];
    const [toId] = q.to ? await placeIds(repos, actor, [{ field: 'to', code: q.to }], issues) : [undefined];
    const corridor = q.corridor ? await repos.corridors.getByCode(q.corridor) : null;
    if (q.corridor && !corridor) issues.push({ field: 'corridor', value: q.corridor, message: 'is not the code of a known corridor' });
    if (issues.length > 0) throw invalidInput('query', issues);
    return {
      corridorId: corridor?.id,
      fromId: fromId ?? undefined,
      toId: toId ?? undefined,
      periodStart: q.periodStart,
      periodEnd: q.periodEnd,
      visiblePaths: actor.scopePaths,
    };
  }

  /** A page of flow records. */
  async flows(
    actor: Actor,
    q: {
      corridor?: string | undefined;
      from?: string | undefined;
      to?: string | undefined;
      periodStart?: string | undefined;
      periodEnd?: string | undefined;
      limit: number;
      offset: number;
    },
  ) {
    authorize(actor, 'registry:read');
    const filter = await this.flowFilter(this.store.repos, actor, q);
    const page = await this.store.repos.flows.list({ ...filter, limit: q.limit, offset: q.offset });
    return { ...page, limit: q.limit, offset: q.offset };
  }

  /** Total movement per origin–destination pair, with positions, for maps. */
  async routeTotals(
    actor: Actor,
    q: { corridor?: string | undefined; from?: string | undefined; to?: string | undefined; periodStart?: string | undefined; periodEnd?: string | undefined },
  ) {
    authorize(actor, 'registry:read');
    const items = await this.store.repos.flows.routeTotals(await this.flowFilter(this.store.repos, actor, q));
    return { items: items.map((r) => ({ ...r, count: Number(r.count) })) };
  }

  /** Records the flows of a CSV file's text (`corridor flows import`), all or nothing; bad rows are named by line, field and value. */
  async importFlowsText(actor: Actor, input: { format: 'csv'; text: string }): Promise<{ created: number; ids: string[] }> {
    authorize(actor, 'registry:import');
    return this.addFlows(actor, parseFlowCsv(input.text), { unit: 'line' });
  }

  /**
   * Records flows atomically: every record's places and corridor must exist; any bad record and
   * nothing is stored. `line` numbers the records in messages (CSV lines or array positions).
   */
  async addFlows(
    actor: Actor,
    records: { line: number; flow: FlowInput }[],
    opts: { unit?: 'line' | 'item' } = {},
  ): Promise<{ created: number; ids: string[] }> {
    authorize(actor, records.length > 1 ? 'registry:import' : 'registry:write');
    return this.store.transaction(async (repos) => {
      const stored: FlowStored[] = [];
      const corridors = new Map<string, string | null>();
      for (const { line, flow } of records) {
        try {
          stored.push({ ...(await this.resolveFlow(repos, actor, flow, line, corridors)), id: newUid() });
        } catch (e) {
          if (records.length === 1 || !(e instanceof AppError)) throw e;
          throw new AppError('IMPORT_INVALID', `${opts.unit ?? 'line'} ${line}: ${e.message.replace(/^invalid flow: /, '')}`, e.details);
        }
      }
      await repos.flows.insertMany(stored);
      await repos.audit.append([
        {
          actor: actor.label,
          action: records.length > 1 ? 'import' : 'create',
          objectType: 'flow',
          objectId: stored.length === 1 ? stored[0]!.id : null,
          after: stored.length === 1 ? records[0]!.flow : undefined,
          details: { created: stored.length },
        },
      ]);
      return { created: stored.length, ids: stored.map((f) => f.id) };
    });
  }

  /** A flow's places and corridor resolved to ids; a bad one is a VALIDATION_FAILED naming the field and `line`. */
  private async resolveFlow(
    repos: Repositories,
    actor: Actor,
    flow: FlowInput,
    line: number,
    corridors = new Map<string, string | null>(),
  ): Promise<Omit<FlowStored, 'id'>> {
    const issues: Issue[] = [];
    const [fromId, toId] = await placeIds(
      repos,
      actor,
      [
        { field: 'from', code: flow.from },
        { field: 'to', code: flow.to },
      ],
      issues,
    );
    let corridorId: string | null = null;
    if (flow.corridor) {
      if (!corridors.has(flow.corridor)) corridors.set(flow.corridor, (await repos.corridors.getByCode(flow.corridor))?.id ?? null);
      corridorId = corridors.get(flow.corridor)!;
      if (!corridorId) issues.push({ field: 'corridor', value: flow.corridor, message: 'is not the code of a known corridor' });
    }
    if (issues.length > 0)
      throw invalidInput(
        'flow',
        labelIssues(
          FlowInputSchema,
          issues.map((i) => ({ ...i, line })),
        ),
      );
    const { from: _f, to: _t, corridor: _c, ...rest } = flow;
    return { ...rest, fromId: fromId!, toId: toId!, corridorId };
  }

  /**
   * The flow, for replacing or deleting it: 404 when the actor cannot see it, 403 when one of its
   * ends lies outside the actor's scope (a flow to or from another country is also that country's record).
   */
  private async writableFlow(actor: Actor, id: string, what: string) {
    const existing = await this.flow(actor, id);
    const ends = await Promise.all(
      [existing.from, existing.to].map(async (code) => {
        const place = await this.store.repos.places.findByCode(code);
        return place ? this.store.repos.places.pathOf(place.id) : null;
      }),
    );
    if (!ends.every((p) => p && inScope(actor, p)))
      throw spansBeyondScope('flow', `${existing.from} → ${existing.to} (${existing.periodStart} to ${existing.periodEnd})`, what);
    return existing;
  }

  async flow(actor: Actor, id: string) {
    authorize(actor, 'registry:read');
    const f = await this.store.repos.flows.get(id);
    const ends = f
      ? await placeIds(
          this.store.repos,
          actor,
          [
            { field: 'from', code: f.from },
            { field: 'to', code: f.to },
          ],
          [],
        )
      : [];
    if (!f || ends.some((e) => e === null)) throw new AppError('NOT_FOUND', `no flow has id "${id}"`, { id });
    return f;
  }

  /** Replaces a flow; as for deleting, both of its present ends must lie in the actor's scope. */
  async updateFlow(actor: Actor, id: string, input: FlowInput) {
    authorize(actor, 'registry:write');
    const existing = await this.writableFlow(actor, id, 'change it');
    await this.store.transaction(async (repos) => {
      await repos.flows.update({ ...(await this.resolveFlow(repos, actor, input, 1)), id });
      await repos.audit.append([{ actor: actor.label, action: 'update', objectType: 'flow', objectId: id, before: existing, after: input }]);
    });
    return this.flow(actor, id);
  }

  async deleteFlow(actor: Actor, id: string): Promise<void> {
    authorize(actor, 'registry:write');
    const existing = await this.writableFlow(actor, id, 'delete it');
    await this.store.transaction(async (repos) => {
      await repos.flows.delete(id);
      await repos.audit.append([{ actor: actor.label, action: 'delete', objectType: 'flow', objectId: id, before: existing }]);
    });
  }
}
