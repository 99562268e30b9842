import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError, invalidInput, type Issue } from '../domain/errors.js';
import type { PolicyInput, ProjectInput } from '../domain/registry.js';
import { parseCsv } from '../lib/csv.js';
import { newUid } from '../lib/uid.js';
import { DATA_DIR } from '../paths.js';
import type { Repositories, Store } from '../store/index.js';

async function countryIds(repos: Repositories, codes: string[], field: string, issues: Issue[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [k, code] of codes.entries()) {
    const c = await repos.places.findByCode(code);
    if (!c || c.level !== 'country') issues.push({ field: `${field}.${k}`, value: code, message: 'no such country' });
    else ids.push(c.id);
  }
  return ids;
}

/** The portfolio (projects) and the policy tracker (HIV-related travel restrictions). */
export class PortfolioService {
  constructor(private readonly store: Store) {}

  async projects(q: { country?: string | undefined; status?: string | undefined; limit: number; offset: number }) {
    const issues: Issue[] = [];
    const [countryId] = q.country ? await countryIds(this.store.repos, [q.country], 'country', issues) : [undefined];
    if (issues.length) throw invalidInput('query', issues.map((i) => ({ ...i, field: 'country' })));
    const page = await this.store.repos.projects.list({ countryId, status: q.status, limit: q.limit, offset: q.offset });
    return { items: page.items.map(withTotal), total: page.total, limit: q.limit, offset: q.offset };
  }

  async project(id: string) {
    const p = await this.store.repos.projects.get(id);
    if (!p) throw new AppError('NOT_FOUND', `no project has id "${id}"`, { id });
    return withTotal(p);
  }

  private async saveProject(repos: Repositories, id: string, input: ProjectInput, existingCode: string | null) {
    const issues: Issue[] = [];
    const countries = await countryIds(repos, input.countries, 'countries', issues);
    const sites: string[] = [];
    for (const [k, code] of input.sites.entries()) {
      const s = await repos.sites.getByCode(code);
      if (!s) issues.push({ field: `sites.${k}`, value: code, message: 'no site has this code' });
      else sites.push(s.id);
    }
    for (const [k, code] of input.beneficiaryGroups.entries()) {
      if (!(await repos.reference.groupByCode(code))) issues.push({ field: `beneficiaryGroups.${k}`, value: code, message: 'no population group has this code' });
    }
    for (const [k, code] of input.sectors.entries()) {
      if (!(await repos.reference.optionExists('occupation_sector', code))) issues.push({ field: `sectors.${k}`, value: code, message: 'is not an occupation sector' });
    }
    const holder = await repos.projects.getByCode(input.code);
    if (holder && input.code !== existingCode) issues.push({ field: 'code', value: input.code, message: 'another project has this code' });
    if (issues.length) throw invalidInput('project', issues);
    await repos.projects.save(id, input, countries, sites);
  }

  async createProject(input: ProjectInput, actor: string, opts: { upsert?: boolean } = {}) {
    const id = await this.store.transaction(async (repos) => {
      const existing = opts.upsert ? await repos.projects.getByCode(input.code) : null;
      const id = existing?.id ?? newUid();
      await this.saveProject(repos, id, input, existing?.code ?? null);
      await repos.audit.append([{ actor, action: existing ? 'update' : 'create', objectType: 'project', objectId: id, before: existing, after: input }]);
      return id;
    });
    return this.project(id);
  }

  async updateProject(id: string, input: ProjectInput, actor: string) {
    await this.store.transaction(async (repos) => {
      const existing = await repos.projects.get(id);
      if (!existing) throw new AppError('NOT_FOUND', `no project has id "${id}"`, { id });
      await this.saveProject(repos, id, input, existing.code);
      await repos.audit.append([{ actor, action: 'update', objectType: 'project', objectId: id, before: existing, after: input }]);
    });
    return this.project(id);
  }

  async deleteProject(id: string, actor: string) {
    await this.store.transaction(async (repos) => {
      const existing = await repos.projects.get(id);
      if (!existing) throw new AppError('NOT_FOUND', `no project has id "${id}"`, { id });
      await repos.projects.delete(id);
      await repos.audit.append([{ actor, action: 'delete', objectType: 'project', objectId: id, before: existing }]);
    });
  }

  async policies(q: { country?: string | undefined; restriction?: string | undefined; status?: string | undefined; limit: number; offset: number }) {
    const issues: Issue[] = [];
    const [countryId] = q.country ? await countryIds(this.store.repos, [q.country], 'country', issues) : [undefined];
    if (issues.length) throw invalidInput('query', issues.map((i) => ({ ...i, field: 'country' })));
    const page = await this.store.repos.policies.list({ countryId, restriction: q.restriction, status: q.status, limit: q.limit, offset: q.offset });
    return { ...page, limit: q.limit, offset: q.offset };
  }

  async policy(id: string) {
    const p = await this.store.repos.policies.get(id);
    if (!p) throw new AppError('NOT_FOUND', `no policy has id "${id}"`, { id });
    return p;
  }

  /** Records a country's policy on one restriction type (replacing an earlier record of the same type when `upsert`). */
  async createPolicy(input: PolicyInput, actor: string, opts: { upsert?: boolean } = {}) {
    const id = await this.store.transaction(async (repos) => {
      const issues: Issue[] = [];
      const [countryId] = await countryIds(repos, [input.country], 'country', issues);
      if (issues.length) throw invalidInput('policy', issues.map((i) => ({ ...i, field: 'country' })));
      const existing = await repos.policies.find(countryId!, input.restriction);
      if (existing && !opts.upsert) {
        throw new AppError('CONFLICT', `${input.country} already has a ${input.restriction} policy (id ${existing.id}); update that one`, { id: existing.id });
      }
      const id = existing?.id ?? newUid();
      await repos.policies.save(id, countryId!, input);
      await repos.audit.append([{ actor, action: existing ? 'update' : 'create', objectType: 'policy', objectId: id, before: existing, after: input }]);
      return id;
    });
    return this.policy(id);
  }

  async updatePolicy(id: string, input: PolicyInput, actor: string) {
    await this.store.transaction(async (repos) => {
      const existing = await repos.policies.get(id);
      if (!existing) throw new AppError('NOT_FOUND', `no policy has id "${id}"`, { id });
      const issues: Issue[] = [];
      const [countryId] = await countryIds(repos, [input.country], 'country', issues);
      if (issues.length) throw invalidInput('policy', issues.map((i) => ({ ...i, field: 'country' })));
      const clash = await repos.policies.find(countryId!, input.restriction);
      if (clash && clash.id !== id) throw new AppError('CONFLICT', `${input.country} already has a ${input.restriction} policy (id ${clash.id})`, { id: clash.id });
      await repos.policies.save(id, countryId!, input);
      await repos.audit.append([{ actor, action: 'update', objectType: 'policy', objectId: id, before: existing, after: input }]);
    });
    return this.policy(id);
  }

  async deletePolicy(id: string, actor: string) {
    await this.store.transaction(async (repos) => {
      const existing = await repos.policies.get(id);
      if (!existing) throw new AppError('NOT_FOUND', `no policy has id "${id}"`, { id });
      await repos.policies.delete(id);
      await repos.audit.append([{ actor, action: 'delete', objectType: 'policy', objectId: id, before: existing }]);
    });
  }

  /**
   * Each country's overall status for a map: `restrictions` when any restriction is in force,
   * else `unclear` when any record is unclear, else `none`.
   */
  async statusByCountry() {
    const { items } = await this.store.repos.policies.list({ limit: 100_000, offset: 0 });
    const byCountry = new Map<string, { country: string; countryName: string; status: 'restrictions' | 'none' | 'unclear'; restrictions: string[] }>();
    for (const p of items) {
      const c = byCountry.get(p.country) ?? { country: p.country, countryName: p.countryName, status: 'none' as const, restrictions: [] };
      if (p.status === 'in_force') {
        c.status = 'restrictions';
        c.restrictions.push(p.restriction);
      } else if (p.status === 'unclear' && c.status === 'none') c.status = 'unclear';
      byCountry.set(p.country, c);
    }
    return { items: [...byCountry.values()] };
  }

  /** The published counts of countries with HIV-related travel restrictions (bundled, with citations). */
  referenceCounts() {
    const [header, ...rows] = parseCsv(readFileSync(path.join(DATA_DIR, 'epidemiology', 'hiv_travel_restrictions_counts.csv'), 'utf8'));
    const col = (name: string) => header!.fields.indexOf(name);
    return {
      items: rows.map((r) => ({
        asOf: Number(r.fields[col('as_of')]),
        source: r.fields[col('source')] ?? '',
        metric: r.fields[col('metric')] ?? '',
        count: Number(r.fields[col('count')]),
        confidence: r.fields[col('confidence')] ?? '',
        reference: r.fields[col('reference')] ?? '',
      })),
    };
  }
}

function withTotal<T extends { donors: { amountUsd: number }[] }>(p: T) {
  return { ...p, totalUsd: p.donors.reduce((s, d) => s + d.amountUsd, 0) };
}
