import { AppError, invalidInput, type Issue } from '../domain/errors.js';
import type { CorridorInput, FlowInput } from '../domain/registry.js';
import { newUid } from '../lib/uid.js';
import type { Repositories, Store } from '../store/index.js';
import type { CorridorRow } from '../store/corridor.repository.js';
import type { FlowFilter, FlowStored } from '../store/flow.repository.js';

/** Resolves place codes to ids, naming the field of each unknown one. */
async function placeIds(repos: Repositories, codes: { field: string; code: string }[], issues: Issue[]): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (const { field, code } of codes) {
    const place = await repos.places.findByCode(code);
    if (!place) issues.push({ field, value: code, message: 'no place has this code' });
    out.push(place?.id ?? null);
  }
  return out;
}

/** Corridors (ordered routes of places) and flows (counts of people moving between places). */
export class CorridorService {
  constructor(private readonly store: Store) {}

  private async withPlaces(rows: CorridorRow[]) {
    const places = await this.store.repos.corridors.places(rows.map((r) => r.id));
    return rows.map((r) => ({ ...r, places: places.filter((p) => p.corridorId === r.id).map(({ corridorId: _c, ...p }) => p) }));
  }

  async list(limit: number, offset: number) {
    const page = await this.store.repos.corridors.list(limit, offset);
    return { items: await this.withPlaces(page.items), total: page.total, limit, offset };
  }

  async get(id: string) {
    const row = await this.store.repos.corridors.get(id);
    if (!row) throw new AppError('NOT_FOUND', `no corridor has id "${id}"`, { id });
    return (await this.withPlaces([row]))[0]!;
  }

  /** Corridors as GeoJSON lines through their places. */
  async featureCollection(limit: number, offset: number) {
    const page = await this.list(limit, offset);
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

  private async save(repos: Repositories, input: CorridorInput, existing: CorridorRow | null, actor: string) {
    const issues: Issue[] = [];
    const ids = await placeIds(repos, input.places.map((code, k) => ({ field: `places.${k}`, code })), issues);
    const holder = await repos.corridors.getByCode(input.code);
    if (holder && holder.id !== existing?.id) issues.push({ field: 'code', value: input.code, message: 'another corridor has this code' });
    if (issues.length > 0) throw invalidInput('corridor', issues);
    const row: CorridorRow = {
      id: existing?.id ?? newUid(),
      code: input.code,
      name: input.name,
      description: input.description ?? null,
      illustrative: input.illustrative,
    };
    await repos.corridors.save(row, ids as string[]);
    await repos.audit.append([{ actor, action: existing ? 'update' : 'create', objectType: 'corridor', objectId: row.id, before: existing, after: { ...row, places: input.places } }]);
    return row.id;
  }

  /** Creates the corridor, or replaces the one with the same code (`upsert`) or id. */
  async create(input: CorridorInput, actor: string, opts: { upsert?: boolean } = {}) {
    const id = await this.store.transaction(async (repos) => {
      const existing = opts.upsert ? await repos.corridors.getByCode(input.code) : null;
      return this.save(repos, input, existing, actor);
    });
    return this.get(id);
  }

  async update(id: string, input: CorridorInput, actor: string) {
    await this.store.transaction(async (repos) => {
      const existing = await repos.corridors.get(id);
      if (!existing) throw new AppError('NOT_FOUND', `no corridor has id "${id}"`, { id });
      await this.save(repos, input, existing, actor);
    });
    return this.get(id);
  }

  async delete(id: string, actor: string): Promise<void> {
    await this.store.transaction(async (repos) => {
      const existing = await repos.corridors.get(id);
      if (!existing) throw new AppError('NOT_FOUND', `no corridor has id "${id}"`, { id });
      await repos.corridors.delete(id);
      await repos.audit.append([{ actor, action: 'delete', objectType: 'corridor', objectId: id, before: existing }]);
    });
  }

  private async flowFilter(repos: Repositories, q: { corridor?: string | undefined; from?: string | undefined; to?: string | undefined; periodStart?: string | undefined; periodEnd?: string | undefined }): Promise<Omit<FlowFilter, 'limit' | 'offset'>> {
    const issues: Issue[] = [];
    const [fromId] = q.from ? await placeIds(repos, [{ field: 'from', code: q.from }], issues) : [undefined];
    const [toId] = q.to ? await placeIds(repos, [{ field: 'to', code: q.to }], issues) : [undefined];
    const corridor = q.corridor ? await repos.corridors.getByCode(q.corridor) : null;
    if (q.corridor && !corridor) issues.push({ field: 'corridor', value: q.corridor, message: 'no corridor has this code' });
    if (issues.length > 0) throw invalidInput('query', issues);
    return { corridorId: corridor?.id, fromId: fromId ?? undefined, toId: toId ?? undefined, periodStart: q.periodStart, periodEnd: q.periodEnd };
  }

  /** A page of flow records. */
  async flows(q: { corridor?: string | undefined; from?: string | undefined; to?: string | undefined; periodStart?: string | undefined; periodEnd?: string | undefined; limit: number; offset: number }) {
    const filter = await this.flowFilter(this.store.repos, q);
    const page = await this.store.repos.flows.list({ ...filter, limit: q.limit, offset: q.offset });
    return { ...page, limit: q.limit, offset: q.offset };
  }

  /** Total movement per origin–destination pair, with positions, for maps. */
  async routeTotals(q: { corridor?: string | undefined; from?: string | undefined; to?: string | undefined; periodStart?: string | undefined; periodEnd?: string | undefined }) {
    const items = await this.store.repos.flows.routeTotals(await this.flowFilter(this.store.repos, q));
    return { items: items.map((r) => ({ ...r, count: Number(r.count) })) };
  }

  /**
   * Records flows atomically: every record's places and corridor must exist; any bad record and
   * nothing is stored. `line` numbers the records in messages (CSV lines or array positions).
   */
  async addFlows(records: { line: number; flow: FlowInput }[], opts: { actor: string; unit?: 'line' | 'item' }): Promise<{ created: number; ids: string[] }> {
    return this.store.transaction(async (repos) => {
      const stored: FlowStored[] = [];
      const corridors = new Map<string, string | null>();
      for (const { line, flow } of records) {
        const issues: Issue[] = [];
        const [fromId, toId] = await placeIds(repos, [{ field: 'from', code: flow.from }, { field: 'to', code: flow.to }], issues);
        let corridorId: string | null = null;
        if (flow.corridor) {
          if (!corridors.has(flow.corridor)) corridors.set(flow.corridor, (await repos.corridors.getByCode(flow.corridor))?.id ?? null);
          corridorId = corridors.get(flow.corridor)!;
          if (!corridorId) issues.push({ field: 'corridor', value: flow.corridor, message: 'no corridor has this code' });
        }
        if (issues.length > 0) {
          const e = invalidInput('flow', issues.map((i) => ({ ...i, line })));
          throw new AppError(records.length > 1 ? 'IMPORT_INVALID' : 'VALIDATION_FAILED', records.length > 1 ? `${opts.unit ?? 'line'} ${line}: ${e.message.replace(/^invalid flow: /, '')}` : e.message, e.details);
        }
        const { from: _f, to: _t, corridor: _c, ...rest } = flow;
        stored.push({ ...rest, id: newUid(), fromId: fromId!, toId: toId!, corridorId });
      }
      await repos.flows.insertMany(stored);
      await repos.audit.append([
        {
          actor: opts.actor,
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

  async flow(id: string) {
    const f = await this.store.repos.flows.get(id);
    if (!f) throw new AppError('NOT_FOUND', `no flow has id "${id}"`, { id });
    return f;
  }

  async deleteFlow(id: string, actor: string): Promise<void> {
    await this.store.transaction(async (repos) => {
      const existing = await repos.flows.get(id);
      if (!existing) throw new AppError('NOT_FOUND', `no flow has id "${id}"`, { id });
      await repos.flows.delete(id);
      await repos.audit.append([{ actor, action: 'delete', objectType: 'flow', objectId: id, before: existing }]);
    });
  }
}
