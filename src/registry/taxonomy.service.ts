import { authorize, type Actor } from '../domain/access.js';
import { AppError, invalidInput, type Issue } from '../domain/errors.js';
import { PopulationGroupInputSchema, type PopulationGroupInput } from '../domain/registry.js';
import { labelIssues } from '../domain/validation.js';
import { newUid } from '../lib/uid.js';
import type { Store } from '../store/index.js';
import type { GroupRow } from '../store/reference.repository.js';
import { needsOf } from './gaps.js';
import { refuseSharedChange } from '../domain/write-scope.js';

/** The population taxonomy and groups (data, extensible by a programme), and site and service types. */
export class TaxonomyService {
  constructor(private readonly store: Store) {}

  siteTypes(actor: Actor) {
    authorize(actor, 'registry:read');
    return this.store.repos.reference.siteTypes();
  }

  serviceTypes(actor: Actor) {
    authorize(actor, 'registry:read');
    return this.store.repos.reference.serviceTypes();
  }

  async taxonomy(actor: Actor) {
    authorize(actor, 'registry:read');
    return { categories: await this.store.repos.reference.categories() };
  }

  /** Adds an option to a category (or renames it). */
  async addOption(actor: Actor, category: string, option: { code: string; name: string }) {
    authorize(actor, 'reference:write');
    await this.store.transaction(async (repos) => {
      const cats = await repos.reference.categories();
      const cat = cats.find((c) => c.code === category);
      if (!cat) throw new AppError('NOT_FOUND', `no taxonomy category "${category}"`);
      const before = cat.options.find((o) => o.code === option.code);
      if (before) refuseSharedChange(actor, 'taxonomy option', `${category}:${option.code}`);
      await repos.reference.upsertOption(category, option);
      await repos.audit.append([
        {
          actor: actor.label,
          action: before ? 'update' : 'create',
          objectType: 'taxonomy-option',
          objectId: `${category}:${option.code}`,
          before,
          after: option,
        },
      ]);
    });
    return this.taxonomy(actor);
  }

  private async withNeeds(groups: GroupRow[]) {
    const rules = await this.store.repos.reference.needRules();
    return groups.map((g) => ({ ...g, needs: needsOf(g.options, rules) }));
  }

  async groups(actor: Actor) {
    authorize(actor, 'registry:read');
    const items = await this.withNeeds(await this.store.repos.reference.groups());
    return { items, total: items.length, limit: items.length, offset: 0 };
  }

  async group(actor: Actor, id: string) {
    authorize(actor, 'registry:read');
    const g = await this.store.repos.reference.groupById(id);
    if (!g) throw new AppError('NOT_FOUND', `no population group has id "${id}"`, { id });
    return (await this.withNeeds([g]))[0]!;
  }

  private async checkOptions(input: PopulationGroupInput): Promise<void> {
    const issues: Issue[] = [];
    for (const [category, option] of Object.entries(input.options)) {
      if (!(await this.store.repos.reference.optionExists(category, option))) {
        issues.push({ field: `options.${category}`, value: option, message: `is not an option of taxonomy category "${category}"` });
      }
    }
    if (issues.length) {
      throw invalidInput('population group', issues);
    }
  }

  async createGroup(actor: Actor, input: PopulationGroupInput) {
    authorize(actor, 'reference:write');
    await this.checkOptions(input);
    const row = await this.store.transaction(async (repos) => {
      if (await repos.reference.groupByCode(input.code)) {
        throw invalidInput(
          'population group',
          labelIssues(PopulationGroupInputSchema, [{ field: 'code', value: input.code, message: 'is already the code of another group' }]),
        );
      }
      const saved = await repos.reference.saveGroup({
        id: newUid(),
        code: input.code,
        name: input.name,
        description: input.description ?? null,
        options: input.options,
      });
      await repos.audit.append([{ actor: actor.label, action: 'create', objectType: 'population-group', objectId: saved.id, after: saved }]);
      return saved;
    });
    return this.group(actor, row.id);
  }

  async updateGroup(actor: Actor, id: string, input: PopulationGroupInput) {
    authorize(actor, 'reference:write');
    await this.checkOptions(input);
    await this.store.transaction(async (repos) => {
      const existing = await repos.reference.groupById(id);
      if (!existing) throw new AppError('NOT_FOUND', `no population group has id "${id}"`, { id });
      refuseSharedChange(actor, 'population group', existing.code);
      const clash = await repos.reference.groupByCode(input.code);
      if (clash && clash.id !== id)
        throw invalidInput(
          'population group',
          labelIssues(PopulationGroupInputSchema, [{ field: 'code', value: input.code, message: 'is already the code of another group' }]),
        );
      const saved = await repos.reference.saveGroup({ id, code: input.code, name: input.name, description: input.description ?? null, options: input.options });
      await repos.audit.append([{ actor: actor.label, action: 'update', objectType: 'population-group', objectId: id, before: existing, after: saved }]);
    });
    return this.group(actor, id);
  }

  async deleteGroup(actor: Actor, id: string) {
    authorize(actor, 'reference:write');
    await this.store.transaction(async (repos) => {
      const existing = await repos.reference.groupById(id);
      if (!existing) throw new AppError('NOT_FOUND', `no population group has id "${id}"`, { id });
      refuseSharedChange(actor, 'population group', existing.code);
      const uses = await repos.reference.groupUse(id);
      if (uses > 0) throw new AppError('CONFLICT', `population group ${existing.code} is counted at ${uses} sites; remove it there first`, { uses });
      await repos.reference.deleteGroup(id);
      await repos.audit.append([{ actor: actor.label, action: 'delete', objectType: 'population-group', objectId: id, before: existing }]);
    });
  }
}
