import { createHash } from 'node:crypto';
import { authorize, inScope, type Actor } from '../domain/access.js';
import { AppError, invalidInput, type Issue } from '../domain/errors.js';
import {
  DEFAULT_COC,
  DEFAULT_COMBO,
  type CategoryComboOut,
  type ComboStructure,
  type DataElementOut,
  type DataSetDetail,
  type DataSetSummary,
  type IndicatorOut,
  type Metadata,
  MetadataSchema,
  type MetadataImportOptions,
  type MetadataReport,
  type ValidationRuleOut,
} from '../domain/monitoring.js';
import { childLevel, levelRank, PLACE_LEVELS, type Place, type PlaceLevel } from '../domain/place.js';
import type { AuditEntry, Repositories, Store } from '../store/index.js';
import type { CategoryOptionComboRow, DataElementRow, DataSetRow, MetadataKind } from '../store/metadata.repository.js';
import { changedFields } from '../domain/write-scope.js';
import { conform } from '../lib/input.js';
import { parseJson } from '../lib/json.js';
import { parseExpression, references } from './expression.js';
import { isPeriodType } from '../shared/periods.js';

type OrgUnit = NonNullable<Metadata['organisationUnits']>[number];

/** DHIS2 refuses larger combos too: every combination becomes a row, and a data entry column. */
export const MAX_COMBINATIONS = 20_000;

/** The kinds of metadata an import writes, with the object type their audit entries carry. */
const AUDITED_KINDS: Record<MetadataKind, string> = {
  categoryOptions: 'category-option',
  categories: 'category',
  categoryCombos: 'category-combo',
  categoryOptionCombos: 'category-option-combo',
  dataElements: 'data-element',
  dataSets: 'data-set',
  indicators: 'indicator',
  validationRules: 'validation-rule',
};
type Snapshot = Map<MetadataKind, Map<string, { id: string; name: string } & Record<string, unknown>>>;

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALPHANUMERIC = LETTERS + '0123456789';

/**
 * The UID of a generated category option combo: derived from the combo and its (sorted) options,
 * so that every store, and every import, gives the same combination the same id.
 */
export function generatedCocUid(comboId: string, optionIds: string[]): string {
  const hash = createHash('sha256')
    .update(`${comboId}:${[...optionIds].sort().join(',')}`)
    .digest();
  let uid = LETTERS[hash[0]! % LETTERS.length]!;
  for (let i = 1; i < 11; i++) uid += ALPHANUMERIC[hash[i]! % ALPHANUMERIC.length];
  return uid;
}

/** Every combination of one option per list, in list order (the first list varies slowest). */
function cartesian(lists: string[][]): string[][] {
  let out: string[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((x) => [...prefix, x]));
  return out;
}

/** What the import does to category option combos beyond the payload's own. */
interface CocPlan {
  generated: CategoryOptionComboRow[];
  /** Option combos whose option set is no longer a combination of their combo (deleted when unused). */
  stale: string[];
}

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

  /**
   * Imports metadata given as DHIS2 metadata JSON text (POST /api/metadata, `corridor import
   * dhis2-metadata`): malformed JSON is refused naming its line and column, then as `import`.
   */
  async importText(actor: Actor, input: { format: 'json'; text: string; options?: Partial<MetadataImportOptions> }): Promise<MetadataReport> {
    authorize(actor, 'reference:write');
    return this.import(actor, parseJson(input.text) as Metadata, input.options);
  }

  /** Imports metadata; importMode=VALIDATE (or dryRun) runs every check and count, then rolls back. */
  async import(actor: Actor, md: Metadata, opts: Partial<MetadataImportOptions> = {}): Promise<MetadataReport> {
    authorize(actor, 'reference:write');
    md = conform(MetadataSchema, md, 'metadata');
    const validateOnly = opts.importMode === 'VALIDATE' || opts.dryRun === true;
    return this.store[validateOnly ? 'rehearse' : 'transaction'](async (repos) => {
      const issues: Issue[] = [];
      const ids = async (kind: MetadataKind, list: { id: string }[] | undefined) =>
        repos.metadata.existingIds(
          kind,
          (list ?? []).map((x) => x.id),
        );
      const known = async (kind: MetadataKind, list: { id: string }[] | undefined, more: string[] = []) => {
        const inPayload = new Set((list ?? []).map((x) => x.id));
        const inStore = await repos.metadata.existingIds(
          kind,
          more.filter((id) => !inPayload.has(id)),
        );
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
      for (const k of [
        'organisationUnits',
        'categoryOptions',
        'categories',
        'categoryCombos',
        'categoryOptionCombos',
        'dataElements',
        'dataSets',
        'indicators',
        'validationRules',
      ] as const)
        dupes(k, md[k]);
      for (const k of [
        'categoryOptions',
        'categories',
        'categoryCombos',
        'categoryOptionCombos',
        'dataElements',
        'dataSets',
        'indicators',
        'validationRules',
      ] as const)
        await this.checkCodes(repos, k, md[k], issues);

      // References between metadata objects.
      const optionOk = await known('categoryOptions', md.categoryOptions, [
        ...(md.categories ?? []).flatMap((c) => refs(c.categoryOptions)),
        ...(md.categoryOptionCombos ?? []).flatMap((c) => refs(c.categoryOptions)),
      ]);
      for (const [i, c] of (md.categories ?? []).entries()) {
        for (const [j, o] of c.categoryOptions.entries()) check(optionOk, `categories[${i}].categoryOptions[${j}].id`, o.id, 'category option');
      }
      const categoryOk = await known(
        'categories',
        md.categories,
        (md.categoryCombos ?? []).flatMap((c) => refs(c.categories)),
      );
      for (const [i, c] of (md.categoryCombos ?? []).entries()) {
        for (const [j, o] of c.categories.entries()) check(categoryOk, `categoryCombos[${i}].categories[${j}].id`, o.id, 'category');
      }
      const comboOk = await known('categoryCombos', md.categoryCombos, [
        ...(md.categoryOptionCombos ?? []).map((c) => c.categoryCombo.id),
        ...(md.dataElements ?? []).map((d) => d.categoryCombo?.id ?? DEFAULT_COMBO),
        ...(md.dataSets ?? []).map((s) => s.categoryCombo?.id ?? DEFAULT_COMBO),
      ]);
      for (const [i, c] of (md.categoryOptionCombos ?? []).entries()) {
        check(comboOk, `categoryOptionCombos[${i}].categoryCombo.id`, c.categoryCombo.id, 'category combo');
        for (const [j, o] of c.categoryOptions.entries()) check(optionOk, `categoryOptionCombos[${i}].categoryOptions[${j}].id`, o.id, 'category option');
      }
      for (const [i, d] of (md.dataElements ?? []).entries()) {
        check(comboOk, `dataElements[${i}].categoryCombo.id`, d.categoryCombo?.id ?? DEFAULT_COMBO, 'category combo');
      }
      const elementOk = await known(
        'dataElements',
        md.dataElements,
        (md.dataSets ?? []).flatMap((s) => (s.dataSetElements ?? []).map((e) => e.dataElement.id)),
      );
      for (const [i, s] of (md.dataSets ?? []).entries()) {
        for (const [j, e] of (s.dataSetElements ?? []).entries())
          check(elementOk, `dataSets[${i}].dataSetElements[${j}].dataElement.id`, e.dataElement.id, 'data element');
        if (!isPeriodType(s.periodType))
          issues.push({ field: `dataSets[${i}].periodType`, value: s.periodType, message: 'not a DHIS2 period type (e.g. Monthly, Quarterly, Yearly)' });
      }

      // Category option combos: one per combination of the combos' options (DHIS2 generates them too).
      const { plan, attributeCombo } = await this.planCocs(repos, md, issues);
      for (const [i, s] of (md.dataSets ?? []).entries()) {
        const id = s.categoryCombo?.id;
        if (!id || id === DEFAULT_COMBO || !comboOk(id)) {
          if (id) check(comboOk, `dataSets[${i}].categoryCombo.id`, id, 'category combo');
          continue;
        }
        if (!attributeCombo(id))
          issues.push({
            field: `dataSets[${i}].categoryCombo.id`,
            value: id,
            message: 'the attribute combo of a data set must be a category combo of dataDimensionType ATTRIBUTE (or the default)',
          });
      }
      await this.checkRules(repos, md, plan, issues);

      // Organisation units: parents first (in the store, or earlier in the payload after sorting).
      const units = md.organisationUnits ?? [];
      const plans = await this.planUnits(repos, actor, units, issues);
      const unitIds = new Set(units.map((u) => u.id));
      for (const [i, s] of (md.dataSets ?? []).entries()) {
        for (const [j, o] of (s.organisationUnits ?? []).entries()) {
          if (unitIds.has(o.id)) continue;
          const path = await repos.places.pathOf(o.id);
          if (!path || !inScope(actor, path))
            issues.push({
              field: `dataSets[${i}].organisationUnits[${j}].id`,
              value: o.id,
              message: 'no organisation unit (place) has this id within your scope',
            });
        }
      }
      if (issues.length > 0) throw invalidInput('metadata', issues);

      // Counts before writing.
      const report: MetadataReport = { status: 'OK', stats: { created: 0, updated: 0, deleted: 0 }, typeReports: [] };
      const count = async (klass: string, kind: MetadataKind | null, list: { id: string }[] | undefined, existing?: Set<string>, generated = 0) => {
        if ((!list || list.length === 0) && generated === 0) return;
        const before = existing ?? (kind ? await ids(kind, list) : new Set<string>());
        const updated = (list ?? []).filter((x) => before.has(x.id)).length;
        const stats = { created: (list ?? []).length - updated + generated, updated, deleted: 0 };
        report.typeReports.push({ klass, stats });
        report.stats.created += stats.created;
        report.stats.updated += stats.updated;
      };
      await count('OrganisationUnit', null, units, new Set(plans.filter((p) => p.before).map((p) => p.unit.id)));
      await count('CategoryOption', 'categoryOptions', md.categoryOptions);
      await count('Category', 'categories', md.categories);
      await count('CategoryCombo', 'categoryCombos', md.categoryCombos);
      await count('CategoryOptionCombo', 'categoryOptionCombos', md.categoryOptionCombos, undefined, plan.generated.length);
      await count('DataElement', 'dataElements', md.dataElements);
      await count('DataSet', 'dataSets', md.dataSets);
      await count('Indicator', 'indicators', md.indicators);
      await count('ValidationRule', 'validationRules', md.validationRules);

      const before = await this.snapshot(repos, md);
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
        audit.push({
          actor: actor.label,
          action: p.before ? 'update' : 'create',
          objectType: 'place',
          objectId: place.id,
          before: p.before,
          after: place,
          placePath: path,
        });
      }
      const code = (x: { code?: string | undefined }) => x.code ?? null;
      await repos.metadata.upsertCategoryOptions(
        (md.categoryOptions ?? []).map((o) => ({ id: o.id, code: code(o), name: o.name, shortName: o.shortName ?? null })),
      );
      await repos.metadata.upsertCategories(
        (md.categories ?? []).map((c) => ({
          id: c.id,
          code: code(c),
          name: c.name,
          dataDimensionType: c.dataDimensionType ?? 'DISAGGREGATION',
          options: refs(c.categoryOptions),
        })),
      );
      await repos.metadata.upsertCategoryCombos(
        (md.categoryCombos ?? []).map((c) => ({
          id: c.id,
          code: code(c),
          name: c.name,
          dataDimensionType: c.dataDimensionType ?? 'DISAGGREGATION',
          categories: refs(c.categories),
        })),
      );
      await repos.metadata.upsertCategoryOptionCombos(
        (md.categoryOptionCombos ?? []).map((c) => ({ id: c.id, code: code(c), name: c.name, comboId: c.categoryCombo.id, options: refs(c.categoryOptions) })),
      );
      await repos.metadata.upsertCategoryOptionCombos(plan.generated);
      const deleted = await repos.metadata.deleteUnusedCocs(plan.stale);
      if (deleted.length > 0) {
        let entry = report.typeReports.find((t) => t.klass === 'CategoryOptionCombo');
        if (!entry) report.typeReports.push((entry = { klass: 'CategoryOptionCombo', stats: { created: 0, updated: 0, deleted: 0 } }));
        entry.stats.deleted += deleted.length;
        report.stats.deleted += deleted.length;
      }
      await repos.metadata.upsertDataElements(
        (md.dataElements ?? []).map((d) => ({
          id: d.id,
          code: code(d),
          name: d.name,
          shortName: d.shortName ?? null,
          valueType: d.valueType,
          aggregationType: d.aggregationType ?? 'SUM',
          comboId: d.categoryCombo?.id ?? DEFAULT_COMBO,
          description: d.description ?? null,
        })),
      );
      // A data set that leaves out its attribute combo or its places keeps the stored ones (a
      // re-import of the standard set keeps a programme's assignments); an empty list clears them.
      // A scoped actor never removes a data set's assignments outside its scope: they are kept as stored.
      const storedSets = new Map<string, DataSetRow>();
      const hiddenPlaces = new Map<string, string[]>();
      for (const s of md.dataSets ?? []) {
        const stored = await repos.metadata.dataSet(s.id);
        if (stored) storedSets.set(s.id, stored);
        if (stored && actor.scopePaths !== null)
          hiddenPlaces.set(
            s.id,
            (await repos.metadata.dataSetPlaces(s.id)).filter((p) => !inScope(actor, p.path)).map((p) => p.id),
          );
      }
      await repos.metadata.upsertDataSets(
        (md.dataSets ?? []).map((s) => ({
          id: s.id,
          code: code(s),
          name: s.name,
          periodType: s.periodType,
          comboId: s.categoryCombo?.id ?? storedSets.get(s.id)?.comboId ?? DEFAULT_COMBO,
          description: s.description ?? null,
          timelyDays: s.timelyDays ?? 15,
          elements: [...new Set((s.dataSetElements ?? []).map((e) => e.dataElement.id))],
          places: s.organisationUnits ? [...new Set([...refs(s.organisationUnits), ...(hiddenPlaces.get(s.id) ?? [])])] : (storedSets.get(s.id)?.places ?? []),
        })),
      );
      await repos.metadata.upsertIndicators(
        (md.indicators ?? []).map((x) => ({
          id: x.id,
          code: code(x),
          name: x.name,
          numerator: x.numerator,
          denominator: x.denominator,
          factor: x.indicatorType?.factor ?? 1,
          description: x.description ?? null,
          source: x.source ?? null,
        })),
      );
      await repos.metadata.upsertValidationRules(
        (md.validationRules ?? []).map((r) => ({
          id: r.id,
          code: code(r),
          name: r.name,
          description: r.description ?? null,
          leftExpression: r.leftSide.expression,
          operator: r.operator,
          rightExpression: r.rightSide.expression,
          importance: r.importance ?? 'MEDIUM',
          periodType: r.periodType,
          missingValueStrategy: r.leftSide.missingValueStrategy ?? 'SKIP_IF_ALL_VALUES_MISSING',
        })),
      );
      audit.push(...this.changes(actor, before, await this.snapshot(repos, md)));
      audit.push({
        actor: actor.label,
        action: 'import',
        objectType: 'metadata',
        objectId: null,
        details: {
          stats: report.stats,
          typeReports: report.typeReports,
          generatedCategoryOptionCombos: plan.generated.map((c) => c.id),
          deletedCategoryOptionCombos: deleted,
        },
      });
      await repos.audit.append(audit);
      return report;
    });
  }

  /** Data sets with their attribute combo, and how many elements and assigned places (within scope) each has. */
  async listDataSets(actor: Actor): Promise<{ dataSets: DataSetSummary[] }> {
    authorize(actor, 'registry:read');
    const repos = this.store.repos;
    const comboNames = new Map((await repos.metadata.categoryCombos()).map((c) => [c.id, c.name]));
    const dataSets: DataSetSummary[] = [];
    for (const s of await repos.metadata.dataSets()) {
      const places = actor.scopePaths === null ? s.places.length : (await repos.metadata.dataSetPlaces(s.id)).filter((p) => inScope(actor, p.path)).length;
      dataSets.push({
        id: s.id,
        code: s.code,
        name: s.name,
        description: s.description,
        periodType: s.periodType,
        timelyDays: s.timelyDays,
        categoryCombo: { id: s.comboId, name: comboNames.get(s.comboId) ?? s.comboId },
        dataElementCount: s.elements.length,
        organisationUnitCount: places,
      });
    }
    return { dataSets };
  }

  /** One data set: its elements, the structure of their combos and of its attribute combo, and its places within scope. */
  async dataSet(actor: Actor, idOrCode: string): Promise<DataSetDetail> {
    authorize(actor, 'registry:read');
    const repos = this.store.repos;
    const s = await repos.metadata.dataSet(idOrCode);
    if (!s) throw new AppError('NOT_FOUND', `no data set has id or code "${idOrCode}"`, { dataSet: idOrCode });
    const comboNames = new Map((await repos.metadata.categoryCombos()).map((c) => [c.id, c.name]));
    const inSet = new Set(s.elements);
    const dataElements = (await repos.metadata.dataElementsWithDescription()).filter((d) => inSet.has(d.id)).map((d) => elementOut(d, comboNames));
    const comboIds = [...new Set([s.comboId, ...dataElements.map((d) => d.categoryCombo.id)])];
    const categoryCombos = (await Promise.all(comboIds.map((id) => repos.metadata.comboStructure(id)))).filter((c): c is ComboStructure => c !== null);
    const organisationUnits = (await repos.metadata.dataSetPlaces(s.id)).filter((p) => inScope(actor, p.path)).map(({ path: _path, ...p }) => p);
    return {
      id: s.id,
      code: s.code,
      name: s.name,
      description: s.description,
      periodType: s.periodType,
      timelyDays: s.timelyDays,
      categoryCombo: { id: s.comboId, name: comboNames.get(s.comboId) ?? s.comboId },
      dataElements,
      categoryCombos,
      organisationUnits,
    };
  }

  /** Data elements with their category combo. */
  async listDataElements(actor: Actor): Promise<{ dataElements: DataElementOut[] }> {
    authorize(actor, 'registry:read');
    const repos = this.store.repos;
    const comboNames = new Map((await repos.metadata.categoryCombos()).map((c) => [c.id, c.name]));
    return { dataElements: (await repos.metadata.dataElementsWithDescription()).map((d) => elementOut(d, comboNames)) };
  }

  /** Category combos with their categories and options (in order) and how many option combos each has. */
  async listCategoryCombos(actor: Actor): Promise<{ categoryCombos: CategoryComboOut[] }> {
    authorize(actor, 'registry:read');
    const repos = this.store.repos;
    const options = new Map((await repos.metadata.categoryOptions()).map((o) => [o.id, { id: o.id, code: o.code, name: o.name }]));
    const categories = new Map((await repos.metadata.categories()).map((c) => [c.id, c]));
    return {
      categoryCombos: (await repos.metadata.categoryCombos()).map((c) => ({
        id: c.id,
        code: c.code,
        name: c.name,
        dataDimensionType: c.dataDimensionType,
        cocCount: c.cocCount,
        categories: c.categories.flatMap((id) => {
          const cat = categories.get(id);
          return cat ? [{ id, code: cat.code, name: cat.name, options: cat.options.flatMap((o) => options.get(o) ?? []) }] : [];
        }),
      })),
    };
  }

  /** Indicators: numerator, denominator, factor, description and source. */
  async listIndicators(actor: Actor): Promise<{ indicators: IndicatorOut[] }> {
    authorize(actor, 'registry:read');
    return {
      indicators: (await this.store.repos.metadata.indicators()).map((x) => ({
        id: x.id,
        code: x.code,
        name: x.name,
        description: x.description ?? null,
        source: x.source ?? null,
        numerator: x.numerator,
        denominator: x.denominator,
        factor: x.factor,
      })),
    };
  }

  /** Validation rules in the DHIS2 shape (the rule's missing-value strategy on both sides). */
  async listValidationRules(actor: Actor): Promise<{ validationRules: ValidationRuleOut[] }> {
    authorize(actor, 'registry:read');
    return {
      validationRules: (await this.store.repos.metadata.validationRules()).map((r) => {
        const missingValueStrategy = r.missingValueStrategy as ValidationRuleOut['leftSide']['missingValueStrategy'];
        return {
          id: r.id,
          code: r.code,
          name: r.name,
          description: r.description,
          operator: r.operator as ValidationRuleOut['operator'],
          leftSide: { expression: r.leftExpression, missingValueStrategy },
          rightSide: { expression: r.rightExpression, missingValueStrategy },
          importance: r.importance as ValidationRuleOut['importance'],
          periodType: r.periodType,
        };
      }),
    };
  }

  /** The stored rows of the payload's metadata objects, by kind and id (for the audit trail and scope checks). */
  private async snapshot(repos: Repositories, md: Metadata): Promise<Snapshot> {
    const m = repos.metadata;
    const lists: Record<MetadataKind, () => Promise<({ id: string; name: string } & object)[]>> = {
      categoryOptions: () => m.categoryOptions(),
      categories: () => m.categories(),
      categoryCombos: async () => (await m.categoryCombos()).map(({ cocCount: _c, ...c }) => c),
      categoryOptionCombos: () => m.categoryOptionCombos(),
      dataElements: () => m.dataElementsWithDescription(),
      dataSets: () => m.dataSets(),
      indicators: () => m.indicators(),
      validationRules: () => m.validationRules(),
    };
    const out: Snapshot = new Map();
    for (const kind of Object.keys(AUDITED_KINDS) as MetadataKind[]) {
      const wanted = new Set((md[kind] ?? []).map((x) => x.id));
      if (wanted.size === 0) continue;
      out.set(
        kind,
        new Map((await lists[kind]()).filter((x) => wanted.has(x.id)).map((x) => [x.id, x as { id: string; name: string } & Record<string, unknown>])),
      );
    }
    return out;
  }

  /**
   * One audit entry per object created or changed, with its stored row before and after and the
   * fields changed (for a data set also the places and elements added and removed), so that an
   * earlier state can be rebuilt from the trail. Data sets span countries: unscoped readers only.
   *
   * A scoped actor may add shared objects (elements, categories, combos, indicators, rules, data
   * sets) and change a data set's assignments within its scope, but changing an existing shared
   * object is for unscoped admins: FORBIDDEN, naming the objects (the transaction rolls back).
   */
  private changes(actor: Actor, before: Snapshot, after: Snapshot): AuditEntry[] {
    const entries: AuditEntry[] = [];
    const refused: string[] = [];
    for (const [kind, rows] of after) {
      for (const [id, row] of rows) {
        const old = before.get(kind)?.get(id) ?? null;
        const changed = old ? changedFields(old, row) : Object.keys(row);
        if (old && changed.length === 0) continue;
        const details: Record<string, unknown> = { changed };
        if (kind === 'dataSets' || kind === 'categories' || kind === 'categoryCombos') {
          for (const list of ['places', 'elements', 'options', 'categories']) {
            if (!(list in row)) continue;
            const was = new Set((old?.[list] as string[] | undefined) ?? []);
            const now = new Set(row[list] as string[]);
            details[`${list}Added`] = [...now].filter((x) => !was.has(x));
            details[`${list}Removed`] = [...was].filter((x) => !now.has(x));
          }
        }
        if (old && actor.scopePaths !== null && changed.some((f) => !(kind === 'dataSets' && f === 'places')))
          refused.push(`${kind} ${id} (${row.name}): ${changed.filter((f) => f !== 'places').join(', ')}`);
        entries.push({
          actor: actor.label,
          action: old ? 'update' : 'create',
          objectType: AUDITED_KINDS[kind],
          objectId: id,
          before: old,
          after: row,
          details,
        });
      }
    }
    if (refused.length > 0) {
      throw new AppError(
        'FORBIDDEN',
        `shared metadata, used by every country, is changed only by an unscoped admin (you may add new objects, and assign data sets to places within your scope): ${refused.slice(0, 10).join('; ')}${refused.length > 10 ? `; and ${refused.length - 10} more` : ''}`,
        { reason: 'shared-reference', objects: refused },
      );
    }
    return entries;
  }

  /** Codes must be unique per kind: within the payload, and against other objects in the store. */
  private async checkCodes(
    repos: Repositories,
    kind: MetadataKind,
    list: { id: string; code?: string | undefined }[] | undefined,
    issues: Issue[],
  ): Promise<void> {
    const withCode = (list ?? []).flatMap((x, i) => (x.code ? [{ i, id: x.id, code: x.code }] : []));
    if (withCode.length === 0) return;
    const holders = await repos.metadata.codeHolders(
      kind,
      withCode.map((x) => x.code),
    );
    const payload = new Map<string, string>();
    for (const x of withCode) {
      const earlier = payload.get(x.code);
      if (earlier !== undefined && earlier !== x.id)
        issues.push({ field: `${kind}[${x.i}].code`, value: x.code, message: 'this code appears earlier in the payload' });
      payload.set(x.code, x.id);
    }
    for (const x of withCode) {
      const holder = holders.get(x.code);
      if (holder !== undefined && holder !== x.id) issues.push({ field: `${kind}[${x.i}].code`, value: x.code, message: `${holder} already has this code` });
    }
  }

  /**
   * Plans the category option combos DHIS2 would generate: for every combo in the payload, the
   * default combo, and stored combos that use a category of the payload, one per combination of
   * its categories' options, unless one with exactly that option set exists (in the store or the
   * payload). Option combos whose option set is no longer a combination are stale. Also answers
   * which combos are attribute combos.
   */
  private async planCocs(repos: Repositories, md: Metadata, issues: Issue[]): Promise<{ plan: CocPlan; attributeCombo: (id: string) => boolean }> {
    const storeCombos = new Map((await repos.metadata.categoryCombos()).map((c) => [c.id, c]));
    const combos = new Map<string, { name: string; categories: string[]; ddt: string; index: number | null }>();
    for (const c of storeCombos.values()) combos.set(c.id, { name: c.name, categories: c.categories, ddt: c.dataDimensionType, index: null });
    for (const [i, c] of (md.categoryCombos ?? []).entries())
      combos.set(c.id, { name: c.name, categories: c.categories.map((x) => x.id), ddt: c.dataDimensionType ?? 'DISAGGREGATION', index: i });
    const attributeCombo = (id: string) => combos.get(id)?.ddt === 'ATTRIBUTE';

    const categories = new Map((await repos.metadata.categories()).map((c) => [c.id, c.options]));
    for (const c of md.categories ?? [])
      categories.set(
        c.id,
        c.categoryOptions.map((o) => o.id),
      );
    const names = new Map((await repos.metadata.categoryOptions()).map((o) => [o.id, o.name]));
    for (const o of md.categoryOptions ?? []) names.set(o.id, o.name);

    const payloadCategories = (md.categories ?? []).map((c) => c.id);
    const affected = [
      ...new Set([
        ...(md.categoryCombos ?? []).map((c) => c.id),
        DEFAULT_COMBO,
        ...[...storeCombos.values()].filter((c) => c.categories.some((x) => payloadCategories.includes(x))).map((c) => c.id),
      ]),
    ];
    // Existing option combos per combo, the payload's overriding the store's.
    const payloadCocs = new Map(
      (md.categoryOptionCombos ?? []).map((c) => [c.id, { comboId: c.categoryCombo.id, options: c.categoryOptions.map((o) => o.id) }]),
    );
    const existing = new Map<string, { id: string; options: string[] }[]>();
    const add = (comboId: string, id: string, options: string[]) => (existing.get(comboId) ?? existing.set(comboId, []).get(comboId)!).push({ id, options });
    for (const c of await repos.metadata.cocsOfCombos(affected)) if (!payloadCocs.has(c.id)) add(c.comboId, c.id, c.options);
    for (const [id, c] of payloadCocs) add(c.comboId, id, c.options);

    const plan: CocPlan = { generated: [], stale: [] };
    const key = (options: string[]) => [...options].sort().join(',');
    for (const comboId of affected) {
      const combo = combos.get(comboId);
      if (!combo) continue; // an unknown combo is reported by the reference checks
      const lists = combo.categories.map((c) => categories.get(c));
      if (lists.some((l) => !l || l.length === 0)) continue;
      const size = lists.reduce((n, l) => n * l!.length, 1);
      if (size > MAX_COMBINATIONS) {
        issues.push({
          field: combo.index !== null ? `categoryCombos[${combo.index}].categories` : 'categories',
          value: comboId,
          message: `category combo "${combo.name}" (${comboId}) would have ${size.toLocaleString('en')} category option combos; at most ${MAX_COMBINATIONS.toLocaleString('en')} are allowed`,
        });
        continue;
      }
      const have = new Map((existing.get(comboId) ?? []).map((c) => [key(c.options), c.id]));
      const wanted = new Set<string>();
      for (const options of cartesian(lists as string[][])) {
        if (new Set(options).size < options.length) continue; // one option in two categories of the combo
        const k = key(options);
        wanted.add(k);
        if (have.has(k)) continue;
        have.set(k, '');
        plan.generated.push({ id: generatedCocUid(comboId, options), code: null, name: options.map((o) => names.get(o) ?? o).join(', '), comboId, options });
      }
      for (const c of existing.get(comboId) ?? []) {
        if (!wanted.has(key(c.options)) && !payloadCocs.has(c.id) && c.id !== DEFAULT_COC) plan.stale.push(c.id);
      }
    }
    return { plan, attributeCombo };
  }

  /** Validation rules: a known period type, and expressions whose references name known data elements and option combos. */
  private async checkRules(repos: Repositories, md: Metadata, plan: CocPlan, issues: Issue[]): Promise<void> {
    const rules = md.validationRules ?? [];
    if (rules.length === 0) return;
    const parsed: { field: string; refs: ReturnType<typeof references> }[] = [];
    for (const [i, r] of rules.entries()) {
      if (!isPeriodType(r.periodType))
        issues.push({ field: `validationRules[${i}].periodType`, value: r.periodType, message: 'not a DHIS2 period type (e.g. Monthly, Quarterly, Yearly)' });
      for (const side of ['leftSide', 'rightSide'] as const) {
        const field = `validationRules[${i}].${side}.expression`;
        try {
          parsed.push({ field, refs: references(parseExpression(r[side].expression)) });
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          const detail = Array.isArray(e.details) ? (e.details as Issue[])[0]?.message : undefined;
          issues.push({ field, value: r[side].expression, message: detail ?? e.message });
        }
      }
    }
    const des = parsed.flatMap((p) => p.refs.map((x) => x.de));
    const cocs = parsed.flatMap((p) => p.refs.flatMap((x) => [x.coc, x.aoc].filter((c): c is string => c !== null)));
    const payloadDes = new Set((md.dataElements ?? []).map((d) => d.id));
    const payloadCocs = new Set([...(md.categoryOptionCombos ?? []).map((c) => c.id), ...plan.generated.map((c) => c.id)]);
    const storeDes = await repos.metadata.existingIds(
      'dataElements',
      [...new Set(des)].filter((d) => !payloadDes.has(d)),
    );
    const storeCocs = await repos.metadata.existingIds(
      'categoryOptionCombos',
      [...new Set(cocs)].filter((c) => !payloadCocs.has(c)),
    );
    for (const p of parsed) {
      for (const ref of p.refs) {
        if (!payloadDes.has(ref.de) && !storeDes.has(ref.de))
          issues.push({ field: p.field, value: ref.de, message: `#{${ref.de}…}: no data element has this id, in the store or in this payload` });
        for (const c of [ref.coc, ref.aoc]) {
          if (c !== null && !payloadCocs.has(c) && !storeCocs.has(c))
            issues.push({ field: p.field, value: c, message: `#{…${c}…}: no category option combo has this id, in the store or in this payload` });
        }
      }
    }
  }

  /** Checks organisation units and orders them parents first; problems go to `issues`. */
  private async planUnits(repos: Repositories, actor: Actor, units: OrgUnit[], issues: Issue[]) {
    const outside: string[] = [];
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
          } else
            issues.push({
              field: field('parent.id'),
              value: u.parent.id,
              message: 'no organisation unit (place) has this id, in the store or in this payload',
            });
        }
      }
      const level: PlaceLevel = u.level ? PLACE_LEVELS[u.level - 1]! : parentLevel ? childLevel(parentLevel) : 'country';
      if (!u.parent && level !== 'country') issues.push({ field: field('parent'), message: `a unit of level ${u.level} needs a parent` });
      if (parentLevel && levelRank(level) <= levelRank(parentLevel))
        issues.push({ field: field('level'), value: u.level, message: `a ${level} cannot sit under a ${parentLevel}` });
      const before = await repos.places.findById(u.id);
      if (u.code) {
        const holder = await repos.places.findByCode(u.code);
        if (holder && holder.id !== u.id)
          issues.push({ field: field('code'), value: u.code, message: `place ${holder.id} (${holder.name}) already has this code` });
      }
      const path = `${parentPath ?? '/'}${u.id}/`;
      const beforePath = before ? await repos.places.pathOf(u.id) : null;
      // Scoped admins add and change units only within their scope, never top-level ones.
      if (!inScope(actor, path) || (beforePath && !inScope(actor, beforePath)) || (actor.scopePaths && !u.parent))
        outside.push(`${field('id')} ${u.id}${u.name ? ` (${u.name})` : ''}`);
      levels.set(u.id, level);
      paths.set(u.id, path);
      state.set(u.id, 'done');
      plans.push({ unit: u, level, before });
    };
    for (const u of units) await visit(u);
    if (outside.length > 0) {
      throw new AppError(
        'FORBIDDEN',
        `${outside.length === 1 ? 'this organisation unit is' : `these ${outside.length} organisation units are`} outside your scope: ${outside.slice(0, 20).join(', ')}${outside.length > 20 ? `, and ${outside.length - 20} more` : ''}`,
        { units: outside },
      );
    }
    const codes = new Map<string, number>();
    for (const [i, u] of units.entries()) {
      if (!u.code) continue;
      if (codes.has(u.code)) issues.push({ field: `organisationUnits[${i}].code`, value: u.code, message: 'this code appears earlier in the payload' });
      codes.set(u.code, i);
    }
    return plans;
  }
}

function elementOut(d: DataElementRow & { description: string | null }, comboNames: Map<string, string>): DataElementOut {
  return {
    id: d.id,
    code: d.code,
    name: d.name,
    shortName: d.shortName,
    description: d.description,
    valueType: d.valueType,
    aggregationType: d.aggregationType,
    categoryCombo: { id: d.comboId, name: comboNames.get(d.comboId) ?? d.comboId },
  };
}
