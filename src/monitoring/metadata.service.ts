import { authorize, inScope, type Actor } from '../domain/access.js';
import { AppError, invalidInput, type Issue } from '../domain/errors.js';
import { DEFAULT_COMBO, type Metadata, type MetadataReport } from '../domain/monitoring.js';
import { childLevel, levelRank, PLACE_LEVELS, type Place, type PlaceLevel } from '../domain/place.js';
import type { AuditEntry, Repositories, Store } from '../store/index.js';
import type { MetadataKind } from '../store/metadata.repository.js';

type OrgUnit = NonNullable<Metadata['organisationUnits']>[number];

/**
 * DHIS2 metadata import (DESIGN §4): organisation units become places (DHIS2 UIDs kept as ids),
 * the rest lands in the monitoring tables. Atomic: everything is checked first, then written in
 * one transaction, or an error names the object and field to fix.
 *
 * An organisation unit without a parent becomes a top-level place of level `country` (DHIS2's
 * level-1 unit is usually the country). Its code must not belong to another place: a unit meant
 * to be an existing country must carry that country's id, or hang under it with `parent`.
 */
export class MetadataService {
  constructor(private readonly store: Store) {}

  async import(actor: Actor, md: Metadata): Promise<MetadataReport> {
    authorize(actor, 'reference:write');
    return this.store.transaction(async (repos) => {
      const issues: Issue[] = [];
      const ids = async (kind: MetadataKind, list: { id: string }[] | undefined) => repos.metadata.existingIds(kind, (list ?? []).map((x) => x.id));
      const known = async (kind: MetadataKind, list: { id: string }[] | undefined, more: string[] = []) => {
        const inPayload = new Set((list ?? []).map((x) => x.id));
        const inStore = await repos.metadata.existingIds(kind, more.filter((id) => !inPayload.has(id)));
        return (id: string) => inPayload.has(id) || inStore.has(id);
      };
      const refs = (list: { id: string }[] | undefined) => (list ?? []).map((r) => r.id);
      const check = (ok: (id: string) => boolean, field: string, id: string, what: string) => {
        if (!ok(id)) issues.push({ field, value: id, message: `no ${what} has this id, in the store or in this payload` });
      };
      const dupes = (kind: string, list: { id: string }[] | undefined) => {
        const seen = new Set<string>();
        for (const [i, x] of (list ?? []).entries()) {
          if (seen.has(x.id)) issues.push({ field: `${kind}[${i}].id`, value: x.id, message: 'this id appears earlier in the payload' });
          seen.add(x.id);
        }
      };
      for (const k of ['organisationUnits', 'categoryOptions', 'categories', 'categoryCombos', 'categoryOptionCombos', 'dataElements', 'dataSets', 'indicators'] as const) dupes(k, md[k]);

      // References between metadata objects.
      const optionOk = await known('categoryOptions', md.categoryOptions, [...(md.categories ?? []).flatMap((c) => refs(c.categoryOptions)), ...(md.categoryOptionCombos ?? []).flatMap((c) => refs(c.categoryOptions))]);
      for (const [i, c] of (md.categories ?? []).entries()) {
        for (const [j, o] of c.categoryOptions.entries()) check(optionOk, `categories[${i}].categoryOptions[${j}].id`, o.id, 'category option');
      }
      const categoryOk = await known('categories', md.categories, (md.categoryCombos ?? []).flatMap((c) => refs(c.categories)));
      for (const [i, c] of (md.categoryCombos ?? []).entries()) {
        for (const [j, o] of c.categories.entries()) check(categoryOk, `categoryCombos[${i}].categories[${j}].id`, o.id, 'category');
      }
      const comboOk = await known('categoryCombos', md.categoryCombos, [
        ...(md.categoryOptionCombos ?? []).map((c) => c.categoryCombo.id),
        ...(md.dataElements ?? []).map((d) => d.categoryCombo?.id ?? DEFAULT_COMBO),
      ]);
      for (const [i, c] of (md.categoryOptionCombos ?? []).entries()) {
        check(comboOk, `categoryOptionCombos[${i}].categoryCombo.id`, c.categoryCombo.id, 'category combo');
        for (const [j, o] of c.categoryOptions.entries()) check(optionOk, `categoryOptionCombos[${i}].categoryOptions[${j}].id`, o.id, 'category option');
      }
      for (const [i, d] of (md.dataElements ?? []).entries()) {
        check(comboOk, `dataElements[${i}].categoryCombo.id`, d.categoryCombo?.id ?? DEFAULT_COMBO, 'category combo');
      }
      const elementOk = await known('dataElements', md.dataElements, (md.dataSets ?? []).flatMap((s) => (s.dataSetElements ?? []).map((e) => e.dataElement.id)));
      for (const [i, s] of (md.dataSets ?? []).entries()) {
        for (const [j, e] of (s.dataSetElements ?? []).entries()) check(elementOk, `dataSets[${i}].dataSetElements[${j}].dataElement.id`, e.dataElement.id, 'data element');
      }

      // Organisation units: parents first (in the store, or earlier in the payload after sorting).
      const units = md.organisationUnits ?? [];
      const plans = await this.planUnits(repos, actor, units, issues);
      const unitIds = new Set(units.map((u) => u.id));
      for (const [i, s] of (md.dataSets ?? []).entries()) {
        for (const [j, o] of (s.organisationUnits ?? []).entries()) {
          if (unitIds.has(o.id)) continue;
          const path = await repos.places.pathOf(o.id);
          if (!path || !inScope(actor, path)) issues.push({ field: `dataSets[${i}].organisationUnits[${j}].id`, value: o.id, message: 'no organisation unit (place) has this id within your scope' });
        }
      }
      if (issues.length > 0) throw invalidInput('metadata', issues);

      // Counts before writing.
      const report: MetadataReport = { status: 'OK', stats: { created: 0, updated: 0 }, typeReports: [] };
      const count = async (klass: string, kind: MetadataKind | null, list: { id: string }[] | undefined, existing?: Set<string>) => {
        if (!list || list.length === 0) return;
        const before = existing ?? (kind ? await ids(kind, list) : new Set<string>());
        const updated = list.filter((x) => before.has(x.id)).length;
        const stats = { created: list.length - updated, updated };
        report.typeReports.push({ klass, stats });
        report.stats.created += stats.created;
        report.stats.updated += stats.updated;
      };
      await count('OrganisationUnit', null, units, new Set(plans.filter((p) => p.before).map((p) => p.unit.id)));
      await count('CategoryOption', 'categoryOptions', md.categoryOptions);
      await count('Category', 'categories', md.categories);
      await count('CategoryCombo', 'categoryCombos', md.categoryCombos);
      await count('CategoryOptionCombo', 'categoryOptionCombos', md.categoryOptionCombos);
      await count('DataElement', 'dataElements', md.dataElements);
      await count('DataSet', 'dataSets', md.dataSets);
      await count('Indicator', 'indicators', md.indicators);

      const audit: AuditEntry[] = [];
      for (const p of plans) {
        const { place } = await repos.places.upsert({
          id: p.unit.id,
          code: p.unit.code ?? null,
          name: p.unit.name,
          level: p.level,
          parentId: p.unit.parent?.id ?? null,
          geometry: p.before ? await repos.places.findGeometry(p.unit.id) : null,
          iso2: p.before?.iso2 ?? null,
          source: p.before?.source ?? 'DHIS2 metadata',
        });
        const path = (await repos.places.pathOf(place.id))!;
        audit.push({ actor: actor.label, action: p.before ? 'update' : 'create', objectType: 'place', objectId: place.id, before: p.before, after: place, placePath: path });
      }
      const code = (x: { code?: string | undefined }) => x.code ?? null;
      await repos.metadata.upsertCategoryOptions((md.categoryOptions ?? []).map((o) => ({ id: o.id, code: code(o), name: o.name, shortName: o.shortName ?? null })));
      await repos.metadata.upsertCategories((md.categories ?? []).map((c) => ({ id: c.id, code: code(c), name: c.name, dataDimensionType: c.dataDimensionType ?? 'DISAGGREGATION', options: refs(c.categoryOptions) })));
      await repos.metadata.upsertCategoryCombos((md.categoryCombos ?? []).map((c) => ({ id: c.id, code: code(c), name: c.name, dataDimensionType: c.dataDimensionType ?? 'DISAGGREGATION', categories: refs(c.categories) })));
      await repos.metadata.upsertCategoryOptionCombos((md.categoryOptionCombos ?? []).map((c) => ({ id: c.id, code: code(c), name: c.name, comboId: c.categoryCombo.id, options: refs(c.categoryOptions) })));
      await repos.metadata.upsertDataElements((md.dataElements ?? []).map((d) => ({
        id: d.id, code: code(d), name: d.name, shortName: d.shortName ?? null, valueType: d.valueType,
        aggregationType: d.aggregationType ?? 'SUM', comboId: d.categoryCombo?.id ?? DEFAULT_COMBO,
      })));
      await repos.metadata.upsertDataSets((md.dataSets ?? []).map((s) => ({
        id: s.id, code: code(s), name: s.name, periodType: s.periodType,
        elements: [...new Set((s.dataSetElements ?? []).map((e) => e.dataElement.id))], places: [...new Set(refs(s.organisationUnits))],
      })));
      await repos.metadata.upsertIndicators((md.indicators ?? []).map((x) => ({
        id: x.id, code: code(x), name: x.name, numerator: x.numerator, denominator: x.denominator, factor: x.indicatorType?.factor ?? 1,
      })));
      audit.push({ actor: actor.label, action: 'import', objectType: 'metadata', objectId: null, details: { stats: report.stats, typeReports: report.typeReports } });
      await repos.audit.append(audit);
      return report;
    });
  }

  /** Checks organisation units and orders them parents first; problems go to `issues`. */
  private async planUnits(repos: Repositories, actor: Actor, units: OrgUnit[], issues: Issue[]) {
    const index = new Map(units.map((u, i) => [u.id, i]));
    const plans: { unit: OrgUnit; level: PlaceLevel; before: Place | null }[] = [];
    const levels = new Map<string, PlaceLevel>();
    const paths = new Map<string, string>();
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = async (u: OrgUnit): Promise<void> => {
      const i = index.get(u.id)!;
      if (state.get(u.id) === 'done') return;
      if (state.get(u.id) === 'visiting') {
        issues.push({ field: `organisationUnits[${i}].parent.id`, value: u.parent?.id, message: 'the parents form a cycle' });
        return;
      }
      state.set(u.id, 'visiting');
      const field = (f: string) => `organisationUnits[${i}].${f}`;
      let parentLevel: PlaceLevel | undefined;
      let parentPath: string | undefined;
      if (u.parent) {
        const inPayload = index.get(u.parent.id);
        if (inPayload !== undefined) {
          await visit(units[inPayload]!);
          parentLevel = levels.get(u.parent.id);
          parentPath = paths.get(u.parent.id);
        } else {
          const p = await repos.places.findById(u.parent.id);
          if (p) {
            parentLevel = p.level;
            parentPath = (await repos.places.pathOf(p.id))!;
          } else issues.push({ field: field('parent.id'), value: u.parent.id, message: 'no organisation unit (place) has this id, in the store or in this payload' });
        }
      }
      const level: PlaceLevel = u.level ? PLACE_LEVELS[u.level - 1]! : parentLevel ? childLevel(parentLevel) : 'country';
      if (!u.parent && level !== 'country') issues.push({ field: field('parent'), message: `a unit of level ${u.level} needs a parent` });
      if (parentLevel && levelRank(level) <= levelRank(parentLevel)) issues.push({ field: field('level'), value: u.level, message: `a ${level} cannot sit under a ${parentLevel}` });
      const before = await repos.places.findById(u.id);
      if (u.code) {
        const holder = await repos.places.findByCode(u.code);
        if (holder && holder.id !== u.id) issues.push({ field: field('code'), value: u.code, message: `place ${holder.id} (${holder.name}) already has this code` });
      }
      const path = `${parentPath ?? '/'}${u.id}/`;
      const beforePath = before ? await repos.places.pathOf(u.id) : null;
      // Scoped admins add and change units only within their scope, never top-level ones.
      if (!inScope(actor, path) || (beforePath && !inScope(actor, beforePath)) || (actor.scopePaths && !u.parent)) {
        throw new AppError('FORBIDDEN', `${field('id')}: organisation unit ${u.id} is outside your scope`);
      }
      levels.set(u.id, level);
      paths.set(u.id, path);
      state.set(u.id, 'done');
      plans.push({ unit: u, level, before });
    };
    for (const u of units) await visit(u);
    const codes = new Map<string, number>();
    for (const [i, u] of units.entries()) {
      if (!u.code) continue;
      if (codes.has(u.code)) issues.push({ field: `organisationUnits[${i}].code`, value: u.code, message: 'this code appears earlier in the payload' });
      codes.set(u.code, i);
    }
    return plans;
  }
}
