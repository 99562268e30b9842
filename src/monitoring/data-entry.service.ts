import { authorize, inScope, type Actor } from '../domain/access.js';
import { AppError } from '../domain/errors.js';
import { DEFAULT_COC, type ValueType } from '../domain/monitoring.js';
import type { Repositories, Store } from '../store/index.js';
import type { Approval, Completion } from '../store/workflow.repository.js';
import { checkValue, type DataValueService } from './data-value.service.js';
import { resolveScope, resolveUnit, type ReportingUnit, type ReportingUnitQuery } from './reporting-unit.js';
import type { RuleViolation, ValidationService } from './validation.service.js';

/** One cell written from the data entry grid. */
export interface CellInput extends ReportingUnitQuery {
  dataElement: string;
  categoryOptionCombo?: string | undefined;
  /** null or '' deletes the value. */
  value: string | null;
  comment?: string | null | undefined;
  followup?: boolean | undefined;
}

/** One place's reporting status for a data set and period. */
export interface CompletenessRow {
  place: { id: string; name: string };
  values: number;
  completed: boolean;
  completedBy: string | null;
  completedAt: string | null;
  onTime: boolean;
  approved: boolean;
}

const unitOut = (u: ReportingUnit) => ({
  dataSet: { id: u.dataSet.id, name: u.dataSet.name, periodType: u.dataSet.periodType },
  period: { id: u.period.id, startDate: u.period.startDate, endDate: u.period.endDate },
  orgUnit: { id: u.place.id, name: u.place.name },
  attributeOptionCombo: u.aoc,
});

/** The day after `endDate` plus `days`, as the instant a registration must come before to be on time. */
function timelyBefore(endDate: string, days: number): number {
  return Date.parse(`${endDate}T00:00:00Z`) + (days + 1) * 86_400_000;
}

/**
 * Data entry (DESIGN §2.2): the form of a data set for a place and period (a grid of data
 * elements × disaggregations), saving one cell at a time with validation on save, completing a
 * form, and completeness and timeliness per data set.
 */
export class DataEntryService {
  constructor(
    private readonly store: Store,
    private readonly dataValues: DataValueService,
    private readonly validation: ValidationService,
  ) {}

  /** The form: the data set's elements with their disaggregations, the stored values, and the form's status. */
  async form(actor: Actor, q: ReportingUnitQuery) {
    authorize(actor, 'registry:read');
    const repos = this.store.repos;
    const u = await resolveUnit(repos, actor, q, { assigned: true });
    const elements = (await repos.metadata.dataElements()).filter((d) => u.dataSet.elements.includes(d.id));
    const combos = await Promise.all([...new Set(elements.map((d) => d.comboId))].map((id) => repos.metadata.comboStructure(id)));
    const values = await repos.dataValues.list({
      dataElementIds: u.dataSet.elements,
      periodIds: [u.period.id],
      placeIds: [u.place.id],
      withinPaths: actor.scopePaths,
      includeDeleted: false,
      limit: 1_000_000,
    });
    const [completion, approval] = await Promise.all([repos.workflow.completion(u.key), this.lockingApproval(repos, u)]);
    return {
      ...unitOut(u),
      elements: elements
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((d) => ({ id: d.id, code: d.code, name: d.name, valueType: d.valueType, categoryCombo: d.comboId })),
      categoryCombos: combos.filter((c) => c !== null),
      values: values
        .filter((v) => v.aoc === u.aoc.id)
        .map((v) => ({
          dataElement: v.de,
          categoryOptionCombo: v.coc,
          value: v.value,
          comment: v.comment,
          followup: v.followup,
          storedBy: v.storedBy,
          lastUpdated: v.lastUpdated,
        })),
      completed: completion ? { by: completion.completedBy, at: completion.completedAt } : null,
      approved: approval ? { by: approval.approvedBy, at: approval.approvedAt, placeId: approval.placeId } : null,
      locked: approval !== null,
    };
  }

  /**
   * Saves one cell through the dataValueSets import (so the same checks, audit trail and lock
   * apply): a value that does not fit its element is 400 naming the field; approved data is 409.
   * Answers the validation rule violations of the form after the save.
   */
  async saveCell(actor: Actor, c: CellInput): Promise<{ status: 'created' | 'updated' | 'deleted' | 'unchanged'; violations: RuleViolation[] }> {
    authorize(actor, 'registry:write');
    const u = await resolveUnit(this.store.repos, actor, c, { assigned: true });
    const element = (await this.store.repos.metadata.dataElements()).find((d) => d.id === c.dataElement || (d.code !== null && d.code === c.dataElement));
    if (!element || !u.dataSet.elements.includes(element.id)) {
      throw new AppError('VALIDATION_FAILED', `data element "${c.dataElement}" is not in data set "${u.dataSet.name}"`, [
        { field: 'dataElement', value: c.dataElement, message: 'not an element of this data set' },
      ]);
    }
    if (c.value !== null && c.value.trim() !== '') {
      const checked = checkValue(element.valueType as ValueType, c.value);
      if ('error' in checked)
        throw new AppError('VALIDATION_FAILED', `${element.name}: "${c.value}" ${checked.error}`, [{ field: 'value', value: c.value, message: checked.error }]);
    }
    const summary = await this.dataValues.import(
      actor,
      {
        dataSet: u.dataSet.id,
        dataValues: [
          {
            dataElement: element.id,
            period: u.period.id,
            orgUnit: u.place.id,
            categoryOptionCombo: c.categoryOptionCombo ?? DEFAULT_COC,
            attributeOptionCombo: u.aoc.id,
            value: c.value ?? '',
            ...(c.comment !== undefined ? { comment: c.comment } : {}),
            ...(c.followup !== undefined ? { followup: c.followup } : {}),
          },
        ],
      },
      { importStrategy: 'CREATE_AND_UPDATE', atomicMode: 'ALL', dryRun: false, idScheme: 'UID' },
    );
    const conflict = summary.conflicts[0];
    if (conflict) {
      const field = conflict.property ?? 'value';
      throw new AppError('VALIDATION_FAILED', conflict.message.replace(/^dataValues\[0\]: /, ''), [
        { field, value: conflict.value, message: conflict.message.replace(/^dataValues\[0\]: /, '') },
      ]);
    }
    const n = summary.importCount;
    const status = n.imported ? 'created' : n.updated ? 'updated' : n.deleted ? 'deleted' : 'unchanged';
    const { ruleViolations } = await this.validation.run(actor, {
      dataSet: u.dataSet.id,
      period: u.period.id,
      orgUnit: u.place.id,
      attributeOptionCombo: u.aoc.id,
      children: false,
      outliers: 'NONE',
    });
    return { status, violations: ruleViolations.filter((v) => v.attributeOptionCombo === u.aoc.id) };
  }

  /** Marks the form complete (DHIS2 complete data set registration); refused while approved. */
  async complete(actor: Actor, q: ReportingUnitQuery): Promise<Completion> {
    authorize(actor, 'registry:write');
    return this.store.transaction(async (repos) => {
      const u = await resolveUnit(repos, actor, q, { assigned: true });
      await this.refuseIfApproved(repos, u, 'complete');
      const before = await repos.workflow.completion(u.key);
      const after = await repos.workflow.complete(u.key, actor.label);
      await repos.audit.append([
        { actor: actor.label, action: 'complete', objectType: 'data-set-registration', objectId: u.dataSet.id, before, after, placePath: u.place.path },
      ]);
      return after;
    });
  }

  async uncomplete(actor: Actor, q: ReportingUnitQuery): Promise<void> {
    authorize(actor, 'registry:write');
    await this.store.transaction(async (repos) => {
      const u = await resolveUnit(repos, actor, q, { assigned: true });
      await this.refuseIfApproved(repos, u, 'reopen');
      const before = await repos.workflow.completion(u.key);
      if (!before) throw new AppError('NOT_FOUND', `the form of "${u.dataSet.name}" for ${u.period.id} at ${u.place.name} is not complete`);
      await repos.workflow.uncomplete(u.key);
      await repos.audit.append([
        { actor: actor.label, action: 'uncomplete', objectType: 'data-set-registration', objectId: u.dataSet.id, before, after: null, placePath: u.place.path },
      ]);
    });
  }

  /**
   * Completeness and timeliness of a data set for a period, over the places it is assigned to
   * under `orgUnit` (within the actor's scope): a place is complete when its form is registered
   * complete (for the given attribute option combo, or without one for any), and on time when
   * that happened within the data set's `timelyDays` after the period.
   */
  async completeness(actor: Actor, q: ReportingUnitQuery) {
    authorize(actor, 'registry:read');
    const repos = this.store.repos;
    const u = await resolveScope(repos, actor, q);
    const aoc = u.aoc?.id;
    const places = (await repos.workflow.assignedPlaces(u.dataSet.id, u.place.path)).filter((p) => inScope(actor, p.path));
    const ids = places.map((p) => p.id);
    const [done, counts, approved] = await Promise.all([
      repos.workflow.completions(u.dataSet.id, [u.period.id], ids, aoc),
      repos.workflow.valueCounts(u.dataSet.elements, u.period.id, ids, aoc),
      repos.workflow.approvedPlaces(u.dataSet.id, u.period.id, ids, aoc),
    ]);
    // Without a combo, the place's earliest registration counts.
    const byPlace = new Map<string, Completion>();
    for (const c of done) if (!byPlace.has(c.placeId) || c.completedAt < byPlace.get(c.placeId)!.completedAt) byPlace.set(c.placeId, c);
    const deadline = timelyBefore(u.period.endDate, u.dataSet.timelyDays);
    const rows: CompletenessRow[] = places.map((p) => {
      const c = byPlace.get(p.id);
      return {
        place: { id: p.id, name: p.name },
        values: counts.get(p.id) ?? 0,
        completed: !!c,
        completedBy: c?.completedBy ?? null,
        completedAt: c?.completedAt ?? null,
        onTime: !!c && Date.parse(c.completedAt) < deadline,
        approved: approved.has(p.id),
      };
    });
    const completed = rows.filter((r) => r.completed).length;
    const onTime = rows.filter((r) => r.onTime).length;
    const pct = (n: number) => (rows.length ? Math.round((1000 * n) / rows.length) / 10 : null);
    return {
      dataSet: { id: u.dataSet.id, name: u.dataSet.name, periodType: u.dataSet.periodType },
      period: { id: u.period.id, startDate: u.period.startDate, endDate: u.period.endDate },
      orgUnit: { id: u.place.id, name: u.place.name },
      attributeOptionCombo: u.aoc,
      timelyDays: u.dataSet.timelyDays,
      expected: rows.length,
      completed,
      onTime,
      completeness: pct(completed),
      timeliness: pct(onTime),
      places: rows,
    };
  }

  /** The approval that locks this form (at its place or above), if any. */
  private async lockingApproval(repos: Repositories, u: ReportingUnit): Promise<Approval | null> {
    const here = await repos.workflow.approval(u.key);
    if (here) return here;
    const above = await repos.workflow.approvalsAround(u.key, u.place.path, 'above');
    return above[0] ?? null;
  }

  private async refuseIfApproved(repos: Repositories, u: ReportingUnit, what: string): Promise<void> {
    const a = await this.lockingApproval(repos, u);
    if (a) {
      throw new AppError(
        'DATA_APPROVED',
        `cannot ${what} "${u.dataSet.name}" for ${u.period.id} at ${u.place.name}: it is approved (by ${a.approvedBy}); unapprove it first`,
      );
    }
  }
}
