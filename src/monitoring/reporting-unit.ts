import { inScope, type Actor } from '../domain/access.js';
import { AppError } from '../domain/errors.js';
import { DEFAULT_COC } from '../domain/monitoring.js';
import type { Repositories } from '../store/index.js';
import type { DataSetRow } from '../store/metadata.repository.js';
import type { WorkflowKey } from '../store/workflow.repository.js';
import { parsePeriod, type Period } from '../shared/periods.js';

/** What a form, a completion, an approval or a validation run is about. */
export interface ReportingUnitQuery {
  dataSet: string;
  period: string;
  orgUnit: string;
  attributeOptionCombo?: string | undefined;
}

/** A data set, one of its periods, a place within the actor's scope and an attribute option combo, all checked. */
export interface ReportingUnit {
  dataSet: DataSetRow;
  period: Period;
  place: { id: string; name: string; path: string };
  aoc: { id: string; name: string };
  key: WorkflowKey;
}

/** A reporting unit whose attribute option combo may be left open (every combo): what validation and completeness read. */
export interface ReportingScope extends Omit<ReportingUnit, 'aoc' | 'key'> {
  aoc: { id: string; name: string } | null;
}

/**
 * Resolves and checks a reporting unit: the data set exists (404), the period is valid (400
 * INVALID_PERIOD) and of the data set's period type (400), the place exists within the actor's
 * scope (404 PLACE_NOT_FOUND: out of scope looks the same as unknown), and the attribute option
 * combo belongs to the data set's attribute combo (400). With `assigned`, the data set must be
 * assigned to the place when it is assigned anywhere.
 */
export async function resolveUnit(repos: Repositories, actor: Actor, q: ReportingUnitQuery, opts: { assigned?: boolean } = {}): Promise<ReportingUnit> {
  const scope = await resolveScope(repos, actor, { ...q, attributeOptionCombo: q.attributeOptionCombo ?? DEFAULT_COC }, opts);
  const aoc = scope.aoc!;
  return { ...scope, aoc, key: { dataSetId: scope.dataSet.id, periodId: scope.period.id, placeId: scope.place.id, aocId: aoc.id } };
}

/** As `resolveUnit`, but without `attributeOptionCombo` the scope covers every combo (aoc null). */
export async function resolveScope(repos: Repositories, actor: Actor, q: ReportingUnitQuery, opts: { assigned?: boolean } = {}): Promise<ReportingScope> {
  const dataSet = await repos.metadata.dataSet(q.dataSet);
  if (!dataSet) throw new AppError('NOT_FOUND', `no data set has id or code "${q.dataSet}"`, { dataSet: q.dataSet });
  const period = parsePeriod(q.period);
  if (period.type !== dataSet.periodType) {
    throw new AppError('VALIDATION_FAILED', `data set "${dataSet.name}" is reported ${dataSet.periodType}; ${q.period} is a ${period.type} period`, [
      { field: 'period', value: q.period, message: `must be a ${dataSet.periodType} period` },
    ]);
  }
  const found = (await repos.places.findById(q.orgUnit)) ?? (await repos.places.findByCode(q.orgUnit));
  const path = found ? await repos.places.pathOf(found.id) : null;
  if (!found || !path || !inScope(actor, path)) {
    throw new AppError('PLACE_NOT_FOUND', `no place has id or code "${q.orgUnit}" within your scope`, { orgUnit: q.orgUnit });
  }
  if (opts.assigned && dataSet.places.length > 0 && !dataSet.places.includes(found.id)) {
    throw new AppError('VALIDATION_FAILED', `data set "${dataSet.name}" is not assigned to ${found.name}`, [
      { field: 'orgUnit', value: q.orgUnit, message: 'the data set is not assigned to this place' },
    ]);
  }
  const place = { id: found.id, name: found.name, path };
  if (q.attributeOptionCombo === undefined) return { dataSet, period, place, aoc: null };
  const aocId = q.attributeOptionCombo;
  const aoc = (await repos.metadata.categoryOptionCombos()).find((c) => c.id === aocId || (c.code !== null && c.code === aocId));
  if (!aoc || aoc.comboId !== dataSet.comboId) {
    throw new AppError('VALIDATION_FAILED', `"${aocId}" is not an attribute option combo of data set "${dataSet.name}"`, [
      { field: 'attributeOptionCombo', value: aocId, message: `must be one of the combos of the data set's attribute combo` },
    ]);
  }
  return { dataSet, period, place, aoc: { id: aoc.id, name: aoc.name } };
}
