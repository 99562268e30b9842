import { readFileSync } from 'node:fs';
import path from 'node:path';
import { authorize, inScope, scopeCountries, type Actor } from '../domain/access.js';
import { AppError, invalidInput, type Issue } from '../domain/errors.js';
import { PolicyInputSchema, ProjectInputSchema, type PolicyInput, type ProjectInput } from '../domain/registry.js';
import { labelIssues } from '../domain/validation.js';
import { parseCsv } from '../lib/csv.js';
import { newUid } from '../lib/uid.js';
import { DATA_DIR } from '../paths.js';
import type { Repositories, Store } from '../store/index.js';
import type { ProjectRow } from '../store/project.repository.js';
import { changedFields, spansBeyondScope } from '../domain/write-scope.js';

/** A project's own fields: only an actor whose scope covers the whole project may change them. */
const PROJECT_OWN_FIELDS = [
  'code',
  'title',
  'description',
  'status',
  'startDate',
  'endDate',
  'donors',
  'objectives',
  'beneficiaryGroups',
  'sectors',
  'targets',
  'illustrative',
];
/** The parts of a project outside the actor's scope, kept as stored when the actor replaces it. */
interface HiddenParts {
  countries: string[];
  sites: string[];
}
const NOTHING_HIDDEN: HiddenParts = { countries: [], sites: [] };

/**
 * Resolves country codes to ids, naming the field of each unknown one. With an actor, a country
 * outside the actor's scope is refused (FORBIDDEN), unless the record already has it (`kept`).
 */
async function countryIds(repos: Repositories, actor: Actor | null, codes: string[], field: string, issues: Issue[], kept: string[] = []): Promise<string[]> {
  const ids: string[] = [];
  const allowed = actor ? scopeCountries(actor) : null;
  for (const [k, code] of codes.entries()) {
    const c = await repos.places.findByCode(code);
    if (!c || c.level !== 'country') issues.push({ field: `${field}.${k}`, value: code, message: 'is not a known country' });
    else if (allowed && !allowed.includes(c.id) && !kept.includes(code))
      throw new AppError('FORBIDDEN', `${c.name} (${code}) is outside your scope`, { field: `${field}.${k}`, value: code });
    else ids.push(c.id);
  }
  return ids;
}

/** The portfolio (projects) and the policy tracker (HIV-related travel restrictions). */
export class PortfolioService {
  constructor(private readonly store: Store) {}

  /** Projects (for a scoped actor: those in a country of their scope). */
  async projects(actor: Actor, q: { country?: string | undefined; status?: string | undefined; limit: number; offset: number }) {
    authorize(actor, 'registry:read');
    const issues: Issue[] = [];
    const [countryId] = q.country ? await countryIds(this.store.repos, null, [q.country], 'country', issues) : [undefined];
    if (issues.length)
      throw invalidInput(
        'query',
        issues.map((i) => ({ ...i, field: 'country' })),
      );
    const page = await this.store.repos.projects.list({ countryId, status: q.status, countryIds: scopeCountries(actor), limit: q.limit, offset: q.offset });
    const sites = await this.sitesSeenBy(actor);
    return {
      items: page.items.map((p) => withTotal(sites ? { ...p, sites: p.sites.filter((c) => sites.has(c)) } : p)),
      total: page.total,
      limit: q.limit,
      offset: q.offset,
    };
  }

  /** Codes of the sites a scoped actor may see (a project's other sites are not shown); null for all. */
  private async sitesSeenBy(actor: Actor): Promise<Set<string> | null> {
    if (actor.scopePaths === null) return null;
    const { items } = await this.store.repos.sites.list({ withinPaths: actor.scopePaths, limit: 1_000_000, offset: 0 });
    return new Set(items.map((s) => s.code));
  }

  private async visibleProject(actor: Actor, id: string) {
    const p = await this.store.repos.projects.get(id);
    const allowed = scopeCountries(actor);
    const mine =
      p && (allowed === null || (await Promise.all(p.countries.map((c) => this.store.repos.places.findByCode(c)))).some((c) => c && allowed.includes(c.id)));
    if (!p || !mine) throw new AppError('NOT_FOUND', `no project has id "${id}"`, { id });
    return p;
  }

  async project(actor: Actor, id: string) {
    authorize(actor, 'registry:read');
    const p = await this.visibleProject(actor, id);
    const sites = await this.sitesSeenBy(actor);
    return withTotal(sites ? { ...p, sites: p.sites.filter((c) => sites.has(c)) } : p);
  }

  /**
   * The countries and sites (codes) of a stored project outside the actor's scope; nothing for an
   * actor whose scope covers it all.
   */
  private async hiddenParts(actor: Actor, p: ProjectRow): Promise<HiddenParts> {
    const allowed = scopeCountries(actor);
    const seen = await this.sitesSeenBy(actor);
    if (allowed === null || seen === null) return NOTHING_HIDDEN;
    const countries: string[] = [];
    for (const code of p.countries) {
      const c = await this.store.repos.places.findByCode(code);
      if (!c || !allowed.includes(c.id)) countries.push(code);
    }
    return { countries, sites: p.sites.filter((c) => !seen.has(c)) };
  }

  /**
   * What a replacement of a stored project may do: a scoped actor who does not cover the whole
   * project changes only its countries and sites within their scope (the others are kept as
   * stored, answered here); renaming it or changing its own fields is refused.
   */
  private async keptParts(actor: Actor, existing: ProjectRow, input: ProjectInput): Promise<HiddenParts> {
    const hidden = await this.hiddenParts(actor, existing);
    if (hidden.countries.length === 0 && hidden.sites.length === 0) return hidden;
    const changed = changedFields(existing as unknown as Record<string, unknown>, input, PROJECT_OWN_FIELDS);
    if (changed.length > 0) {
      const e = spansBeyondScope(
        'project',
        `${existing.code} (${existing.title})`,
        `change its ${changed.map((f) => f.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)).join(', ')}; you may change its countries and sites within your scope`,
      );
      throw new AppError(e.code, e.message, { ...(e.details as object), fields: changed });
    }
    return hidden;
  }

  private async saveProject(
    repos: Repositories,
    actor: Actor,
    id: string,
    input: ProjectInput,
    existingCode: string | null,
    kept: HiddenParts = NOTHING_HIDDEN,
  ) {
    const issues: Issue[] = [];
    const countries = [
      ...new Set([
        ...(await countryIds(repos, null, kept.countries, 'countries', [])),
        ...(await countryIds(repos, actor, input.countries, 'countries', issues, kept.countries)),
      ]),
    ];
    const sites: string[] = [];
    for (const code of kept.sites) {
      const s = await repos.sites.getByCode(code);
      if (s) sites.push(s.id);
    }
    for (const [k, code] of input.sites.entries()) {
      const s = await repos.sites.getByCode(code);
      if (!s || !inScope(actor, (await repos.places.pathOf(s.id))!))
        issues.push({ field: `sites.${k}`, value: code, message: 'is not the code of a known site' });
      else if (!sites.includes(s.id)) sites.push(s.id);
    }
    for (const [k, code] of input.beneficiaryGroups.entries()) {
      if (!(await repos.reference.groupByCode(code)))
        issues.push({ field: `beneficiaryGroups.${k}`, value: code, message: 'is not the code of a known population group' });
    }
    for (const [k, code] of input.sectors.entries()) {
      if (!(await repos.reference.optionExists('occupation_sector', code)))
        issues.push({ field: `sectors.${k}`, value: code, message: 'is not an occupation sector' });
    }
    const holder = await repos.projects.getByCode(input.code);
    if (holder && input.code !== existingCode) issues.push({ field: 'code', value: input.code, message: 'is already the code of another project' });
    if (issues.length) throw invalidInput('project', labelIssues(ProjectInputSchema, issues));
    const saved = { ...input, countries: [...new Set([...kept.countries, ...input.countries])], sites: [...new Set([...kept.sites, ...input.sites])] };
    await repos.projects.save(id, saved, countries, sites);
    // A project in one country is that country's; one across countries (before or after) is for unscoped readers only.
    const placePath = countries.length === 1 && kept.countries.length === 0 ? `/${countries[0]}/` : null;
    return { placePath, saved };
  }

  async createProject(actor: Actor, input: ProjectInput, opts: { upsert?: boolean } = {}) {
    authorize(actor, 'registry:write');
    const found = opts.upsert ? await this.store.repos.projects.getByCode(input.code) : null;
    const existing = found ? await this.visibleProject(actor, found.id) : null;
    const kept = existing ? await this.keptParts(actor, existing, input) : NOTHING_HIDDEN;
    const id = await this.store.transaction(async (repos) => {
      const id = existing?.id ?? newUid();
      const { placePath, saved } = await this.saveProject(repos, actor, id, input, existing?.code ?? null, kept);
      await repos.audit.append([
        { actor: actor.label, action: existing ? 'update' : 'create', objectType: 'project', objectId: id, before: existing, after: saved, placePath },
      ]);
      return id;
    });
    return this.project(actor, id);
  }

  async updateProject(actor: Actor, id: string, input: ProjectInput) {
    authorize(actor, 'registry:write');
    const existing = await this.visibleProject(actor, id);
    const kept = await this.keptParts(actor, existing, input);
    await this.store.transaction(async (repos) => {
      const { placePath, saved } = await this.saveProject(repos, actor, id, input, existing.code, kept);
      await repos.audit.append([{ actor: actor.label, action: 'update', objectType: 'project', objectId: id, before: existing, after: saved, placePath }]);
    });
    return this.project(actor, id);
  }

  async deleteProject(actor: Actor, id: string) {
    authorize(actor, 'registry:write');
    const existing = await this.visibleProject(actor, id);
    const hidden = await this.hiddenParts(actor, existing);
    if (hidden.countries.length > 0 || hidden.sites.length > 0) throw spansBeyondScope('project', `${existing.code} (${existing.title})`, 'delete it');
    await this.store.transaction(async (repos) => {
      await repos.projects.delete(id);
      await repos.audit.append([{ actor: actor.label, action: 'delete', objectType: 'project', objectId: id, before: existing }]);
    });
  }

  /** Policies (for a scoped actor: those of the countries of their scope). */
  async policies(
    actor: Actor,
    q: { country?: string | undefined; restriction?: string | undefined; status?: string | undefined; limit: number; offset: number },
  ) {
    authorize(actor, 'registry:read');
    const issues: Issue[] = [];
    const [countryId] = q.country ? await countryIds(this.store.repos, null, [q.country], 'country', issues) : [undefined];
    if (issues.length)
      throw invalidInput(
        'query',
        issues.map((i) => ({ ...i, field: 'country' })),
      );
    const page = await this.store.repos.policies.list({
      countryId,
      restriction: q.restriction,
      status: q.status,
      countryIds: scopeCountries(actor),
      limit: q.limit,
      offset: q.offset,
    });
    return { ...page, limit: q.limit, offset: q.offset };
  }

  private async visiblePolicy(actor: Actor, id: string) {
    const p = await this.store.repos.policies.get(id);
    const allowed = scopeCountries(actor);
    const country = p ? await this.store.repos.places.findByCode(p.country) : null;
    if (!p || (allowed && !(country && allowed.includes(country.id)))) throw new AppError('NOT_FOUND', `no policy has id "${id}"`, { id });
    return p;
  }

  async policy(actor: Actor, id: string) {
    authorize(actor, 'registry:read');
    return this.visiblePolicy(actor, id);
  }

  /** Records a country's policy on one restriction type (replacing an earlier record of the same type when `upsert`). */
  async createPolicy(actor: Actor, input: PolicyInput, opts: { upsert?: boolean } = {}) {
    authorize(actor, 'registry:write');
    const id = await this.store.transaction(async (repos) => {
      const issues: Issue[] = [];
      const [countryId] = await countryIds(repos, actor, [input.country], 'country', issues);
      if (issues.length)
        throw invalidInput(
          'policy',
          labelIssues(
            PolicyInputSchema,
            issues.map((i) => ({ ...i, field: 'country' })),
          ),
        );
      const existing = await repos.policies.find(countryId!, input.restriction);
      if (existing && !opts.upsert) {
        throw new AppError('CONFLICT', `${input.country} already has a ${input.restriction} policy (id ${existing.id}); update that one`, { id: existing.id });
      }
      const id = existing?.id ?? newUid();
      await repos.policies.save(id, countryId!, input);
      await repos.audit.append([
        {
          actor: actor.label,
          action: existing ? 'update' : 'create',
          objectType: 'policy',
          objectId: id,
          before: existing,
          after: input,
          placePath: `/${countryId}/`,
        },
      ]);
      return id;
    });
    return this.policy(actor, id);
  }

  async updatePolicy(actor: Actor, id: string, input: PolicyInput) {
    authorize(actor, 'registry:write');
    const existing = await this.visiblePolicy(actor, id);
    await this.store.transaction(async (repos) => {
      const issues: Issue[] = [];
      const [countryId] = await countryIds(repos, actor, [input.country], 'country', issues);
      if (issues.length)
        throw invalidInput(
          'policy',
          labelIssues(
            PolicyInputSchema,
            issues.map((i) => ({ ...i, field: 'country' })),
          ),
        );
      const clash = await repos.policies.find(countryId!, input.restriction);
      if (clash && clash.id !== id)
        throw new AppError('CONFLICT', `${input.country} already has a ${input.restriction} policy (id ${clash.id})`, { id: clash.id });
      await repos.policies.save(id, countryId!, input);
      await repos.audit.append([
        { actor: actor.label, action: 'update', objectType: 'policy', objectId: id, before: existing, after: input, placePath: `/${countryId}/` },
      ]);
    });
    return this.policy(actor, id);
  }

  async deletePolicy(actor: Actor, id: string) {
    authorize(actor, 'registry:write');
    const existing = await this.visiblePolicy(actor, id);
    await this.store.transaction(async (repos) => {
      await repos.policies.delete(id);
      await repos.audit.append([{ actor: actor.label, action: 'delete', objectType: 'policy', objectId: id, before: existing }]);
    });
  }

  /**
   * Each country's overall status for a map: `restrictions` when any restriction is in force,
   * else `unclear` when any record is unclear, else `none`.
   */
  async statusByCountry(actor: Actor) {
    const { items } = await this.policies(actor, { limit: 100_000, offset: 0 });
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
  referenceCounts(actor: Actor) {
    authorize(actor, 'registry:read');
    const [header, ...rows] = parseCsv(readFileSync(path.join(DATA_DIR, 'epidemiology', 'hiv_travel_restrictions_counts.csv'), 'utf8'));
    const col = (name: string) => header!.fields.indexOf(name);
    // The file writes "same" for a source or reference repeated from the row above.
    let previous = { source: '', reference: '' };
    return {
      items: rows.map((r) => {
        const field = (name: string) => r.fields[col(name)] ?? '';
        const source = field('source') === 'same' ? previous.source : field('source');
        const reference = field('reference') === 'same' ? previous.reference : field('reference');
        previous = { source, reference };
        return { asOf: field('as_of'), source, metric: field('metric'), count: Number(field('count')), confidence: field('confidence'), reference };
      }),
    };
  }
}

function withTotal<T extends { donors: { amountUsd: number }[] }>(p: T) {
  return { ...p, totalUsd: p.donors.reduce((s, d) => s + d.amountUsd, 0) };
}
