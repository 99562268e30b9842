import { authorize, inScope, type Actor } from '../domain/access.js';
import { AppError } from '../domain/errors.js';
import {
  DEFAULT_COC,
  DEFAULT_COMBO,
  type Conflict,
  type DataValueFormat,
  type DataValueQuery,
  DataValueSetSchema,
  type DataValueSetInput,
  type IdScheme,
  type ImportOptions,
  type ImportSummary,
  type ValueType,
} from '../domain/monitoring.js';
import type { Repositories, Store } from '../store/index.js';
import type { DataValueAuditEntry, DataValueKey, DataValueRecord, DataValueWrite, OrgUnitRef } from '../store/data-value.repository.js';
import type { CategoryOptionComboRow, DataElementRow } from '../store/metadata.repository.js';
import { conform } from '../lib/input.js';
import { parsePeriod, type Period } from '../shared/periods.js';
import { adxToDataValueSet, dataValuesToAdx, type ComboView } from './adx-exchange.js';
import { formatAdx, parseAdx, type AdxDocument } from './interop/adx.js';
import { DATA_VALUE_FILES, readDataValueSet, writeDataValueSet, type DataValueSetOut } from './data-value-formats.js';
import type { TextFile } from '../lib/text.js';

/** How many values one SQL statement carries. */
const BATCH = 5000;

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER = /^[-+]?\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** DHIS2 stores INTEGER values as Java ints (MathUtils.isInteger: Integer.parseInt's range). */
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const int32 = (v: string) => INTEGER.test(v) && Number(v) >= INT32_MIN && Number(v) <= INT32_MAX;

/** The value in its stored form, or a message saying why it does not fit the value type. */
export function checkValue(type: ValueType, raw: string): { value: string } | { error: string } {
  const v = raw.trim();
  switch (type) {
    case 'NUMBER':
      return NUMBER.test(v) && Number.isFinite(Number(v)) ? { value: v } : { error: 'must be a number' };
    case 'INTEGER':
      return int32(v) ? { value: v } : { error: `must be a whole number from ${INT32_MIN} to ${INT32_MAX}` };
    case 'INTEGER_POSITIVE':
      return int32(v) && Number(v) > 0 ? { value: v } : { error: `must be a whole number greater than 0, up to ${INT32_MAX}` };
    case 'INTEGER_ZERO_OR_POSITIVE':
      return int32(v) && Number(v) >= 0 ? { value: v } : { error: `must be a whole number, 0 or more, up to ${INT32_MAX}` };
    case 'PERCENTAGE':
      return NUMBER.test(v) && Number(v) >= 0 && Number(v) <= 100 ? { value: v } : { error: 'must be a number from 0 to 100' };
    case 'BOOLEAN': {
      const b = v.toLowerCase();
      if (['true', '1'].includes(b)) return { value: 'true' };
      if (['false', '0'].includes(b)) return { value: 'false' };
      return { error: 'must be true or false' };
    }
    case 'TRUE_ONLY':
      return ['true', '1'].includes(v.toLowerCase()) ? { value: 'true' } : { error: 'must be true' };
    case 'DATE': {
      const d = new Date(v + 'T00:00:00Z');
      return DATE.test(v) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v) ? { value: v } : { error: 'must be a date (YYYY-MM-DD)' };
    }
    case 'TEXT':
      return raw.length <= 50_000 ? { value: raw } : { error: 'must be at most 50000 characters' };
    case 'LONG_TEXT':
      return { value: raw };
  }
}

const keyOf = (k: DataValueKey) => `${k.de}\u0000${k.pe}\u0000${k.ou}\u0000${k.coc}\u0000${k.aoc}`;

function index<T extends { id: string; code: string | null; name: string }>(rows: T[], scheme: IdScheme): Map<string, T> {
  return new Map(
    rows.flatMap((r) => {
      const k = scheme === 'UID' ? r.id : scheme === 'CODE' ? r.code : r.name;
      return k === null ? [] : [[k, r] as [string, T]];
    }),
  );
}

function chunks<T>(xs: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += BATCH) out.push(xs.slice(i, i + BATCH));
  return out;
}

/** One checked value, ready to classify against what is stored: small, sharing its period and place. */
interface Planned {
  de: string;
  pe: Period;
  ou: OrgUnitRef;
  coc: string;
  aoc: string;
  value: string | null;
  storedBy: string;
  comment: string | null;
  followup: boolean;
  delete: boolean;
  /** The value's position in the request, for messages. */
  index: number;
}

/** Imports writing at least this many values into a store holding fewer rebuild its checks once (see the repository). */
const BULK = 20_000;

const snapshot = (x: { value: string | null; storedBy: string | null; comment: string | null; followup: boolean; deleted: boolean }) => ({
  value: x.value,
  storedBy: x.storedBy,
  comment: x.comment,
  followup: x.followup,
  deleted: x.deleted,
});

/**
 * DHIS2 dataValueSets import and export (DESIGN §2.2, §4) in JSON, CSV, DXF2 XML and ADX. The API
 * and the CLI give text in a named format (`importText`) and take text back (`exportText`); the
 * formats are read and written here, not in the faces. Values are checked one by one (conflicts
 * name the value), then classified and written in batches of `BATCH` in one transaction, each
 * change recorded in `data_value_audit` and the import itself in the audit trail.
 */
export class DataValueService {
  constructor(private readonly store: Store) {}

  /**
   * Imports a dataValueSet given as text in `format`: JSON, DHIS2 CSV, DXF2 XML or ADX (whose
   * category attributes are mapped to combos with the metadata). A malformed file is refused with
   * IMPORT_INVALID naming its line (CSV, XML, ADX) or line and column (JSON); conflicts name the
   * value (`dataValues[12]`, or `ADX line 40`).
   */
  async importText(
    actor: Actor,
    input: { format: DataValueFormat; text: string; options: ImportOptions },
    onProgress?: (done: number, total: number) => void,
  ): Promise<ImportSummary> {
    authorize(actor, 'registry:import');
    if (input.format === 'adx') return this.importAdx(actor, parseAdx(input.text), input.options, onProgress);
    return this.import(actor, readDataValueSet(input.format, input.text), input.options, onProgress);
  }

  /** Stored values matching the query (within the actor's scope) as text in `format`; ADX needs a data set. */
  async exportText(actor: Actor, q: DataValueQuery, format: DataValueFormat): Promise<TextFile> {
    authorize(actor, 'registry:read');
    const text = format === 'adx' ? await this.exportAdx(actor, q) : writeDataValueSet(format, await this.export(actor, q));
    return { ...DATA_VALUE_FILES[format], text };
  }

  /**
   * Imports a dataValueSet. `onProgress` hears how many of the set's values are done, at most
   * about every 1% and once at the end.
   */
  async import(
    actor: Actor,
    set: DataValueSetInput,
    opts: ImportOptions,
    onProgress?: (done: number, total: number) => void,
    /** Conflicts a format's own mapping already found (ADX disaggregations), by value index. */
    known: ReadonlyMap<number, Conflict> = new Map(),
  ): Promise<ImportSummary> {
    authorize(actor, 'registry:import');
    // The limits of POST /api/dataValueSets hold for every way in (CLI files, CSV, XML, ADX).
    set = conform(DataValueSetSchema, set, 'dataValueSet');
    // A dry run named in the body (DHIS2's dryRun attribute) is a dry run whatever the query says.
    if (set.dryRun === true && !opts.dryRun) opts = { ...opts, dryRun: true };
    const repos = this.store.repos;
    const total = set.dataValues.length;
    let reported = 0;
    const progress = (done: number) => {
      if (onProgress && done > reported && (done === total || done - reported >= Math.max(1, Math.ceil(total / 100)))) {
        reported = done;
        onProgress(done, total);
      }
    };
    const conflicts: Conflict[] = [];
    const conflict = (i: number, object: string, property: string, value: unknown, message: string) =>
      conflicts.push({ object, value: String(value ?? ''), property, message: `dataValues[${i}]: ${message}` });

    const deScheme = opts.dataElementIdScheme ?? opts.idScheme;
    const ouScheme = opts.orgUnitIdScheme ?? opts.idScheme;
    const cocScheme = opts.categoryOptionComboIdScheme ?? opts.idScheme;
    const elements = index<DataElementRow>(await repos.metadata.dataElements(), deScheme);
    const cocRows = await repos.metadata.categoryOptionCombos();
    const cocs = index<CategoryOptionComboRow>(cocRows, cocScheme);
    const cocById = new Map(cocRows.map((c) => [c.id, c]));
    const ouSet = new Set<string>();
    for (const v of set.dataValues) {
      const k = v.orgUnit ?? set.orgUnit;
      if (k) ouSet.add(k);
    }
    const ouKeys = [...ouSet];
    const units = new Map<string, OrgUnitRef[]>();
    for (const part of chunks(ouKeys)) {
      for (const u of await repos.dataValues.orgUnits(ouScheme, part)) (units.get(u.key) ?? units.set(u.key, []).get(u.key)!).push(u);
    }
    let setElements: Set<string> | null = null;
    let setCombo: string | null = null;
    if (set.dataSet) {
      const ds = await repos.metadata.dataSet(set.dataSet);
      if (!ds) conflicts.push({ object: set.dataSet, value: set.dataSet, property: 'dataSet', message: `no data set has id or code "${set.dataSet}"` });
      else {
        setElements = new Set(ds.elements);
        setCombo = ds.comboId;
      }
    }
    const periods = new Map<string, Period | null>();
    const period = (id: string) => {
      let pe = periods.get(id);
      if (pe === undefined) {
        try {
          const p = parsePeriod(id);
          pe = { id: p.id, type: p.type, startDate: String(p.startDate).slice(0, 10), endDate: String(p.endDate).slice(0, 10) };
        } catch {
          pe = null;
        }
        periods.set(id, pe);
      }
      return pe;
    };

    const planned = new Map<string, Planned>();
    const places = new Set<OrgUnitRef>();
    let ignored = 0;
    for (const [i, v] of set.dataValues.entries()) {
      const already = known.get(i);
      if (already) {
        conflicts.push({ ...already, message: `dataValues[${i}]: ${already.message}` });
        continue;
      }
      const before = conflicts.length;
      const de = elements.get(v.dataElement);
      if (!de) conflict(i, v.dataElement, 'dataElement', v.dataElement, `unknown data element "${v.dataElement}"`);
      else if (setElements && !setElements.has(de.id))
        conflict(i, v.dataElement, 'dataElement', v.dataElement, `data element "${v.dataElement}" is not in data set "${set.dataSet}"`);
      const peId = v.period ?? set.period;
      const pe = peId ? period(peId) : null;
      if (!peId) conflict(i, '', 'period', '', 'period is required (on the value or the set)');
      else if (!pe) conflict(i, peId, 'period', peId, `invalid period "${peId}"`);
      const ouKey = v.orgUnit ?? set.orgUnit;
      const matches = ouKey ? (units.get(ouKey) ?? []) : [];
      const ou = matches.length === 1 && inScope(actor, matches[0]!.path) ? matches[0]! : null;
      if (!ouKey) conflict(i, '', 'orgUnit', '', 'orgUnit is required (on the value or the set)');
      else if (matches.length > 1) conflict(i, ouKey, 'orgUnit', ouKey, `org unit "${ouKey}" matches ${matches.length} places`);
      else if (!ou) conflict(i, ouKey, 'orgUnit', ouKey, `unknown org unit "${ouKey}", or outside your scope`);
      const cocKey = v.categoryOptionCombo;
      const coc = cocKey ? cocs.get(cocKey) : cocById.get(DEFAULT_COC);
      if (!coc) conflict(i, cocKey!, 'categoryOptionCombo', cocKey, `unknown category option combo "${cocKey}"`);
      else if (de && coc.comboId !== de.comboId)
        conflict(
          i,
          cocKey ?? coc.id,
          'categoryOptionCombo',
          cocKey ?? coc.id,
          `category option combo "${cocKey ?? coc.id}" is not of data element "${v.dataElement}"'s category combo`,
        );
      const aocKey = v.attributeOptionCombo ?? set.attributeOptionCombo;
      const aoc = aocKey ? cocs.get(aocKey) : cocById.get(DEFAULT_COC);
      if (!aoc) conflict(i, aocKey!, 'attributeOptionCombo', aocKey, `unknown attribute option combo "${aocKey}"`);
      else if (setCombo && aoc.comboId !== setCombo) {
        conflict(
          i,
          aocKey ?? aoc.id,
          'attributeOptionCombo',
          aocKey ?? '',
          aocKey
            ? `attribute option combo "${aocKey}" is not one of data set "${set.dataSet}"'s`
            : `data set "${set.dataSet}" needs an attributeOptionCombo (a project or partner)`,
        );
      }
      const raw = v.value === null || v.value === undefined ? '' : String(v.value);
      const del = opts.importStrategy === 'DELETE' || v.deleted === true || raw.trim() === '';
      let value: string | null = null;
      if (!del && de) {
        const checked = checkValue(de.valueType as ValueType, raw);
        if ('error' in checked)
          conflict(i, v.dataElement, 'value', raw, `value "${raw}" of data element "${v.dataElement}" (${de.valueType}) ${checked.error}`);
        else value = checked.value;
      }
      if (conflicts.length > before || !de || !pe || !ou || !coc || !aoc) continue;
      const row: Planned = {
        de: de.id,
        pe,
        ou,
        coc: coc.id,
        aoc: aoc.id,
        value,
        storedBy: v.storedBy ?? actor.label,
        comment: v.comment ?? null,
        followup: v.followup ?? false,
        delete: del,
        index: i,
      };
      const k = keyOf({ de: row.de, pe: pe.id, ou: ou.id, coc: row.coc, aoc: row.aoc });
      if (planned.has(k)) ignored++; // a later value with the same key replaces an earlier one
      planned.set(k, row);
      places.add(ou);
    }
    if (opts.atomicMode === 'NONE' || conflicts.length === 0) await this.refuseLocked(repos, planned, opts, conflicts);

    const atomicFail = opts.atomicMode === 'ALL' && conflicts.length > 0;
    const summary = (counts: { imported: number; updated: number; deleted: number; ignored: number }): ImportSummary => ({
      status: conflicts.length === 0 ? 'SUCCESS' : atomicFail ? 'ERROR' : 'WARNING',
      ...(atomicFail
        ? {
            description: `Nothing was imported: the import is all or nothing, and ${conflicts.length === 1 ? 'a value has a conflict' : `${conflicts.length} values have conflicts`}`,
          }
        : {}),
      dryRun: opts.dryRun,
      importCount: counts,
      conflicts,
    });
    if (atomicFail) {
      progress(total);
      return summary({ imported: 0, updated: 0, deleted: 0, ignored: total });
    }

    const skipped = total - planned.size - ignored; // values with conflicts
    const run = async (r: Repositories) => {
      const counts = { imported: 0, updated: 0, deleted: 0, ignored: ignored + skipped };
      let done = total - planned.size;
      // An empty store has nothing to look up; a store smaller than the import rebuilds its checks once.
      const stored = await r.dataValues.storedCount(planned.size);
      const classify = async (part: Planned[]) => {
        const found = stored === 0 ? [] : await r.dataValues.existing(part.map((x) => ({ de: x.de, pe: x.pe.id, ou: x.ou.id, coc: x.coc, aoc: x.aoc })));
        const byKey = new Map<string, DataValueRecord>(found.map((x) => [keyOf(x), x]));
        const creates: DataValueWrite[] = []; // not stored at all, not even deleted
        const writes: DataValueWrite[] = [];
        const audit: DataValueAuditEntry[] = [];
        for (const row of part) {
          const de = row.de,
            pe = row.pe.id,
            ou = row.ou.id,
            coc = row.coc,
            aoc = row.aoc;
          const old = stored === 0 ? undefined : byKey.get(keyOf({ de, pe, ou, coc, aoc }));
          const live = old && !old.deleted ? old : undefined;
          // Object literals without spreads: V8 builds them fast, with one shape each.
          const write: DataValueWrite = {
            de,
            pe,
            ou,
            coc,
            aoc,
            periodType: row.pe.type,
            startDate: row.pe.startDate,
            endDate: row.pe.endDate,
            value: row.value,
            storedBy: row.storedBy,
            created: null,
            lastUpdated: null,
            comment: row.comment,
            followup: row.followup,
            deleted: row.delete,
          };
          let action: DataValueAuditEntry['action'];
          if (row.delete) {
            if (!live || opts.importStrategy === 'CREATE') {
              counts.ignored++;
              continue;
            }
            write.value = live.value;
            action = 'delete';
            counts.deleted++;
          } else if (live) {
            const same = live.value === row.value && (live.comment ?? null) === row.comment && live.followup === row.followup;
            if (same || opts.importStrategy === 'CREATE') {
              counts.ignored++;
              continue;
            }
            action = 'update';
            counts.updated++;
          } else {
            if (opts.importStrategy === 'UPDATE') {
              counts.ignored++;
              continue;
            }
            action = 'create';
            counts.imported++;
          }
          (old ? writes : creates).push(write);
          const before = action === 'create' ? (old ? snapshot(old) : null) : snapshot(live!);
          audit.push({ de, pe, ou, coc, aoc, action, before, after: action === 'delete' ? null : snapshot(write), actor: actor.label });
        }
        if (!opts.dryRun) {
          await r.dataValues.create(creates);
          await r.dataValues.write(writes);
          await r.dataValues.appendAudit(audit);
        }
        done += part.length;
        progress(done);
      };
      const all = async () => {
        let part: Planned[] = [];
        for (const row of planned.values()) {
          part.push(row);
          if (part.length === BATCH) {
            await classify(part);
            part = [];
          }
        }
        await classify(part);
      };
      if (!opts.dryRun && planned.size >= BULK && stored < planned.size) await r.dataValues.withoutRowChecks(all);
      else await all();
      if (!opts.dryRun) {
        await r.audit.append([
          {
            actor: actor.label,
            action: 'import',
            objectType: 'data-value-set',
            objectId: set.dataSet ?? null,
            details: { ...counts, conflicts: conflicts.length, importStrategy: opts.importStrategy, atomicMode: opts.atomicMode },
            placePath: commonPath([...places].map((x) => x.path)),
          },
        ]);
      }
      return counts;
    };
    const counts = opts.dryRun ? await run(repos) : await this.store.transaction(run);
    progress(total);
    return summary(counts);
  }

  /**
   * Approved data is locked (DESIGN §2.2). Under atomicMode=ALL a write to it refuses the whole
   * request with 409 DATA_APPROVED; under NONE each such value is a conflict and is left out.
   */
  private async refuseLocked(repos: Repositories, planned: Map<string, Planned>, opts: ImportOptions, conflicts: Conflict[]): Promise<void> {
    const rows = [...planned.entries()];
    if (!(await repos.workflow.anyApproval([...new Set(rows.map(([, r]) => r.pe.id))]))) return;
    const found: Conflict[] = [];
    for (const part of chunks(rows)) {
      for (const lock of await repos.workflow.locked(part.map(([, r]) => ({ de: r.de, pe: r.pe.id, ou: r.ou.id, aoc: r.aoc })))) {
        const [key, row] = part[lock.index]!;
        planned.delete(key);
        found.push({
          object: row.de,
          value: row.value ?? '',
          property: 'period',
          message: `dataValues[${row.index}]: data set "${lock.dataSetName}" is approved for ${row.pe.id} at ${lock.placeName} (by ${lock.approvedBy}); approved data is locked until it is unapproved`,
        });
      }
    }
    if (found.length > 0 && opts.atomicMode === 'ALL') {
      throw new AppError(
        'DATA_APPROVED',
        `${found[0]!.message}${found.length > 1 ? ` (and ${found.length - 1} more locked values)` : ''}; nothing was stored`,
        { conflicts: found },
      );
    }
    conflicts.push(...found);
  }

  /** Imports an ADX document: its category attributes are mapped to category option combos; conflicts name the ADX line. */
  private async importAdx(actor: Actor, doc: AdxDocument, opts: ImportOptions, onProgress?: (done: number, total: number) => void): Promise<ImportSummary> {
    authorize(actor, 'registry:import');
    const md = await this.adxMetadata(
      doc.groups.map((g) => g.dataSet),
      doc.groups.map((g) => g.orgUnit),
    );
    const { set, known, lines } = adxToDataValueSet(doc, md);
    const summary = await this.import(
      actor,
      set,
      { ...opts, idScheme: 'UID', dataElementIdScheme: 'UID', orgUnitIdScheme: 'UID', categoryOptionComboIdScheme: 'UID' },
      onProgress,
      known,
    );
    return {
      ...summary,
      conflicts: summary.conflicts.map((c) => ({
        ...c,
        message: c.message.replace(/^dataValues\[(\d+)\]/, (_m, i: string) => `ADX line ${lines[Number(i)]}`),
      })),
    };
  }

  /** Stored values of one data set as an ADX document (codes where the metadata has them, else UIDs). */
  private async exportAdx(actor: Actor, q: DataValueQuery): Promise<string> {
    if (!q.dataSet)
      throw new AppError('VALIDATION_FAILED', 'ADX export needs a data set (ADX groups values by data set)', [
        { field: 'dataSet', message: 'required for ADX' },
      ]);
    const set = await this.export(actor, q);
    const md = await this.adxMetadata(
      [q.dataSet],
      set.dataValues.map((v) => v.orgUnit),
    );
    const ds = md.dataSet(q.dataSet)!;
    const elements = new Map((await this.store.repos.metadata.dataElements()).map((d) => [d.id, d]));
    const places = new Map((await this.store.repos.dataValues.orgUnits('UID', [...new Set(set.dataValues.map((v) => v.orgUnit))])).map((p) => [p.id, p]));
    return formatAdx(
      dataValuesToAdx({ ...ds, code: ds.code }, set.dataValues, { element: (id) => elements.get(id), combo: md.combo, place: (id) => places.get(id) }),
    );
  }

  /** The metadata ADX mapping needs: elements, the named data sets, every combo they use, and the named places. */
  private async adxMetadata(dataSetKeys: string[], placeKeys: string[]) {
    const repos = this.store.repos;
    const elements = await repos.metadata.dataElements();
    const byKey = new Map(
      elements.flatMap(
        (d) =>
          (d.code
            ? [
                [d.id, d],
                [d.code, d],
              ]
            : [[d.id, d]]) as [string, DataElementRow][],
      ),
    );
    const sets = new Map<string, NonNullable<Awaited<ReturnType<typeof repos.metadata.dataSet>>>>();
    for (const k of new Set(dataSetKeys)) {
      const ds = await repos.metadata.dataSet(k);
      if (ds) sets.set(k, ds);
    }
    const combos = new Map<string, ComboView>();
    for (const id of new Set([DEFAULT_COMBO, ...elements.map((d) => d.comboId), ...[...sets.values()].map((s) => s.comboId)])) {
      const c = await repos.metadata.comboStructure(id);
      if (c) combos.set(id, c);
    }
    const keys = [...new Set(placeKeys)];
    const places = new Map<string, string>();
    for (const part of chunks(keys)) {
      for (const u of await repos.dataValues.orgUnits('CODE', part)) places.set(u.key, u.id);
      for (const u of await repos.dataValues.orgUnits('UID', part)) places.set(u.key, u.id);
    }
    return {
      element: (k: string) => byKey.get(k),
      dataSet: (k: string) => sets.get(k),
      combo: (id: string) => combos.get(id),
      orgUnit: (k: string) => places.get(k),
    };
  }

  /** Stored values matching the query, within the actor's scope, in the dataValueSets shape. */
  async export(actor: Actor, q: DataValueQuery): Promise<DataValueSetOut> {
    authorize(actor, 'registry:read');
    const repos = this.store.repos;
    let dataElementIds: string[] | undefined = q.dataElement ? [q.dataElement] : undefined;
    if (q.dataSet) {
      const ds = await repos.metadata.dataSet(q.dataSet);
      if (!ds) throw new AppError('NOT_FOUND', `no data set has id or code "${q.dataSet}"`, { dataSet: q.dataSet });
      dataElementIds = dataElementIds ? dataElementIds.filter((d) => ds.elements.includes(d)) : ds.elements;
    }
    if (q.period) {
      try {
        parsePeriod(q.period);
      } catch {
        throw new AppError('VALIDATION_FAILED', `invalid period "${q.period}"`, [{ field: 'period', value: q.period, message: 'not a DHIS2 period' }]);
      }
    }
    // DHIS2 refuses an org unit it cannot find rather than answering an empty set: so do we, with
    // the same message whether the place does not exist or lies outside the caller's scope.
    let placeId: string | undefined;
    if (q.orgUnit) {
      const scheme = q.orgUnitIdScheme ?? q.idScheme ?? 'UID';
      const found = (await repos.dataValues.orgUnits(scheme, [q.orgUnit])).filter((u) => inScope(actor, u.path));
      if (found.length !== 1) {
        const how = scheme === 'UID' ? 'id' : scheme.toLowerCase();
        const hint = scheme === 'UID' ? '; to name it by code, add orgUnitIdScheme=CODE' : '';
        throw new AppError(
          found.length > 1 ? 'VALIDATION_FAILED' : 'NOT_FOUND',
          found.length > 1
            ? `org unit "${q.orgUnit}" matches ${found.length} places; name it by id`
            : `no org unit has ${how} "${q.orgUnit}" within your scope${hint}`,
          [{ field: 'orgUnit', value: q.orgUnit, message: found.length > 1 ? 'matches several places' : 'unknown org unit' }],
        );
      }
      placeId = found[0]!.id;
    }
    const rows = await repos.dataValues.list({
      dataElementIds,
      periodIds: q.period ? [q.period] : undefined,
      placeIds: placeId ? [placeId] : undefined,
      children: q.children,
      withinPaths: actor.scopePaths,
      includeDeleted: q.includeDeleted,
      limit: q.limit,
    });
    return {
      ...(q.dataSet ? { dataSet: q.dataSet } : {}),
      ...(q.period ? { period: q.period } : {}),
      ...(q.orgUnit ? { orgUnit: q.orgUnit } : {}),
      dataValues: rows.map((r) => ({
        dataElement: r.de,
        period: r.pe,
        orgUnit: r.ou,
        categoryOptionCombo: r.coc,
        attributeOptionCombo: r.aoc,
        value: r.value,
        storedBy: r.storedBy,
        created: r.created,
        lastUpdated: r.lastUpdated,
        comment: r.comment,
        followup: r.followup,
        ...(q.includeDeleted ? { deleted: r.deleted } : {}),
      })),
    };
  }
}

/** The deepest path every one of these lies under (for the audit trail's scope), or null. */
function commonPath(paths: string[]): string | null {
  if (paths.length === 0) return null;
  let parts = paths[0]!.split('/').filter(Boolean);
  for (const p of paths) {
    const q = p.split('/').filter(Boolean);
    let n = 0;
    while (n < parts.length && n < q.length && parts[n] === q[n]) n++;
    parts = parts.slice(0, n);
  }
  return parts.length ? `/${parts.join('/')}/` : null;
}
