import { authorize, inScope, type Actor } from '../domain/access.js';
import { AppError } from '../domain/errors.js';
import type { Store } from '../store/index.js';
import type { MinMax, NumericValue } from '../store/workflow.repository.js';
import { evaluate, parseExpression, references, type Expression, type Operand } from './expression.js';
import { resolveScope, type ReportingUnitQuery } from './reporting-unit.js';

export const OUTLIER_METHODS = ['Z_SCORE', 'MOD_Z_SCORE', 'MIN_MAX', 'NONE'] as const;
export type OutlierMethod = (typeof OUTLIER_METHODS)[number];

/**
 * Default thresholds. z-score: 3 standard deviations, DHIS2's default for its outlier detection
 * (DHIS2 user manual, "Data quality: outlier detection"). Modified z-score: 3.5, the cut-off
 * recommended by Iglewicz & Hoaglin, "How to Detect and Handle Outliers" (ASQC, 1993).
 */
export const DEFAULT_THRESHOLD: Record<'Z_SCORE' | 'MOD_Z_SCORE', number> = { Z_SCORE: 3, MOD_Z_SCORE: 3.5 };
/** Fewer other periods than this give no outlier verdict (too little history to judge). */
export const MIN_HISTORY = 4;

export interface ValidationQuery extends ReportingUnitQuery {
  /** Also the places under `orgUnit` that the data set is assigned to (default true). */
  children?: boolean | undefined;
  outliers?: OutlierMethod | undefined;
  threshold?: number | undefined;
}

export interface RuleViolation {
  rule: { id: string; code: string | null; name: string; description: string | null; importance: string; operator: string };
  orgUnit: { id: string; name: string };
  period: string;
  attributeOptionCombo: string;
  leftSide: { expression: string; value: number | null };
  rightSide: { expression: string; value: number | null };
}

export interface Outlier {
  dataElement: { id: string; name: string };
  categoryOptionCombo: { id: string; name: string };
  attributeOptionCombo: string;
  orgUnit: { id: string; name: string };
  period: string;
  value: number;
  method: Exclude<OutlierMethod, 'NONE'>;
  /** The z or modified z score; null for min-max, or when the history is constant. */
  score: number | null;
  threshold: number | null;
  /** Mean (z-score) or median (modified z-score) of the other periods; null for min-max. */
  center: number | null;
  min: number | null;
  max: number | null;
  followup: boolean;
}

const OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  equal_to: (a, b) => Math.abs(a - b) < 1e-9,
  not_equal_to: (a, b) => Math.abs(a - b) >= 1e-9,
  greater_than: (a, b) => a > b,
  greater_than_or_equal_to: (a, b) => a >= b - 1e-9,
  less_than: (a, b) => a < b,
  less_than_or_equal_to: (a, b) => a <= b + 1e-9,
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The outlier verdict for one value against the other periods of its series (leave-one-out, so
 * that the value under test does not widen its own yardstick): z = (x − mean) / sd, or the
 * modified z = 0.6745 (x − median) / MAD (Iglewicz & Hoaglin 1993). Null: not an outlier, or
 * too little history. A constant history flags any other value, with no score.
 */
export function outlierScore(
  x: number,
  others: number[],
  method: 'Z_SCORE' | 'MOD_Z_SCORE',
  threshold: number,
): { score: number | null; center: number } | null {
  if (others.length < MIN_HISTORY) return null;
  let center: number;
  let spread: number;
  if (method === 'Z_SCORE') {
    center = others.reduce((a, b) => a + b, 0) / others.length;
    spread = Math.sqrt(others.reduce((a, b) => a + (b - center) ** 2, 0) / (others.length - 1));
  } else {
    center = median(others);
    const deviations = others.map((v) => Math.abs(v - center));
    // MAD is 0 when more than half the history equals the median: fall back to the mean absolute
    // deviation, M = (x − median) / (1.253314 · MeanAD) (IBM SPSS / Iglewicz & Hoaglin's note on
    // MAD = 0), so that "8, 8, 8, 9, 7, 8" does not make every 9 an outlier.
    const mad = median(deviations);
    spread = mad > 0 ? mad / 0.6745 : (1.253314 * deviations.reduce((a, b) => a + b, 0)) / deviations.length;
  }
  if (spread === 0) return x === center ? null : { score: null, center };
  const score = (x - center) / spread;
  return Math.abs(score) > threshold ? { score, center } : null;
}

/** A rule's two sides, parsed once. */
interface CompiledRule {
  row: Awaited<ReturnType<Store['repos']['metadata']['validationRules']>>[number];
  left: Expression;
  right: Expression;
}

/**
 * Validation rules and outlier detection (DESIGN §2.2) for a data set, period and place (and
 * the places below it the data set is assigned to): rules are evaluated per place and attribute
 * option combo with their missing-value strategy; outliers compare each value with the same
 * series (element, disaggregation, place, combo) in the other periods of the data set's type.
 */
export class ValidationService {
  constructor(private readonly store: Store) {}

  async run(actor: Actor, q: ValidationQuery) {
    authorize(actor, 'registry:read');
    const repos = this.store.repos;
    const u = await resolveScope(repos, actor, q);
    const children = q.children ?? true;
    const assigned = children ? (await repos.workflow.assignedPlaces(u.dataSet.id, u.place.path)).filter((p) => inScope(actor, p.path)) : [];
    const places = new Map([[u.place.id, u.place.name], ...assigned.map((p) => [p.id, p.name] as const)]);
    const placeIds = [...places.keys()];
    const elements = u.dataSet.elements;
    const inSet = new Set(elements);

    const rules: CompiledRule[] = [];
    for (const row of await repos.metadata.validationRules()) {
      if (row.periodType !== u.dataSet.periodType) continue;
      const left = parseExpression(row.leftExpression);
      const right = parseExpression(row.rightExpression);
      if ([...references(left), ...references(right)].every((r) => inSet.has(r.de))) rules.push({ row, left, right });
    }
    const values = (await repos.workflow.numericValues(elements, placeIds, { periodIds: [u.period.id] })).filter((v) => !u.aoc || v.aoc === u.aoc.id);
    const ruleViolations = evaluateRules(rules, values, u.period.id, u.aoc?.id ?? null, places);

    const method = q.outliers ?? 'MOD_Z_SCORE';
    let outliers: Outlier[] = [];
    if (method !== 'NONE') {
      const names = new Map((await repos.metadata.dataElements()).map((d) => [d.id, d.name]));
      const cocNames = new Map((await repos.metadata.categoryOptionCombos()).map((c) => [c.id, c.name]));
      const describe = (v: NumericValue) => ({
        dataElement: { id: v.de, name: names.get(v.de) ?? v.de },
        categoryOptionCombo: { id: v.coc, name: cocNames.get(v.coc) ?? v.coc },
        attributeOptionCombo: v.aoc,
        orgUnit: { id: v.ou, name: places.get(v.ou) ?? v.ou },
        period: v.pe,
        value: v.value,
        followup: v.followup,
      });
      if (method === 'MIN_MAX') {
        const bounds = new Map((await repos.workflow.minMax(elements, placeIds)).map((b) => [`${b.de}|${b.ou}|${b.coc}`, b] as [string, MinMax]));
        for (const v of values) {
          const b = bounds.get(`${v.de}|${v.ou}|${v.coc}`);
          if (b && (v.value < b.min || v.value > b.max))
            outliers.push({ ...describe(v), method, score: null, threshold: null, center: null, min: b.min, max: b.max });
        }
      } else {
        if (q.threshold !== undefined && !(q.threshold > 0))
          throw new AppError('VALIDATION_FAILED', 'threshold must be a number above 0', [
            { field: 'threshold', value: q.threshold, message: 'must be above 0' },
          ]);
        const threshold = q.threshold ?? DEFAULT_THRESHOLD[method];
        const series = new Map<string, number[]>();
        for (const v of await repos.workflow.numericValues(elements, placeIds, { periodType: u.dataSet.periodType })) {
          if (v.pe === u.period.id || (u.aoc && v.aoc !== u.aoc.id)) continue;
          const k = `${v.de}|${v.ou}|${v.coc}|${v.aoc}`;
          (series.get(k) ?? series.set(k, []).get(k)!).push(v.value);
        }
        for (const v of values) {
          const verdict = outlierScore(v.value, series.get(`${v.de}|${v.ou}|${v.coc}|${v.aoc}`) ?? [], method, threshold);
          if (verdict) outliers.push({ ...describe(v), method, score: verdict.score, threshold, center: verdict.center, min: null, max: null });
        }
      }
      // Scored outliers first, the largest first; then values that differ from a constant history.
      outliers = outliers.sort((a, b) => Math.abs(b.score ?? 0) - Math.abs(a.score ?? 0) || Number(a.score === null) - Number(b.score === null));
    }
    return {
      dataSet: { id: u.dataSet.id, name: u.dataSet.name },
      period: { id: u.period.id, startDate: u.period.startDate, endDate: u.period.endDate },
      orgUnit: { id: u.place.id, name: u.place.name },
      attributeOptionCombo: u.aoc,
      places: places.size,
      rulesChecked: rules.length,
      valuesChecked: values.length,
      outlierMethod: method,
      ruleViolations,
      outliers,
    };
  }

  /** Sets expected bounds (min-max values) for data elements at places, for the MIN_MAX method. */
  async setMinMax(actor: Actor, rows: MinMax[]): Promise<{ saved: number }> {
    authorize(actor, 'registry:write');
    return this.store.transaction(async (repos) => {
      const paths = new Map<string, string>();
      for (const [i, r] of rows.entries()) {
        const path = paths.get(r.ou) ?? (await repos.places.pathOf(r.ou));
        if (!path || !inScope(actor, path)) throw new AppError('PLACE_NOT_FOUND', `[${i}].orgUnit: no place has id "${r.ou}" within your scope`);
        paths.set(r.ou, path);
        if (r.max < r.min)
          throw new AppError('VALIDATION_FAILED', `[${i}]: max (${r.max}) is below min (${r.min})`, [
            { field: `[${i}].max`, value: r.max, message: 'must be at least min' },
          ]);
      }
      const elements = await repos.metadata.existingIds('dataElements', [...new Set(rows.map((r) => r.de))]);
      const cocs = await repos.metadata.existingIds('categoryOptionCombos', [...new Set(rows.map((r) => r.coc))]);
      for (const [i, r] of rows.entries()) {
        if (!elements.has(r.de))
          throw new AppError('VALIDATION_FAILED', `[${i}].dataElement: unknown data element "${r.de}"`, [
            { field: `[${i}].dataElement`, value: r.de, message: 'unknown data element' },
          ]);
        if (!cocs.has(r.coc))
          throw new AppError('VALIDATION_FAILED', `[${i}].categoryOptionCombo: unknown category option combo "${r.coc}"`, [
            { field: `[${i}].categoryOptionCombo`, value: r.coc, message: 'unknown category option combo' },
          ]);
      }
      await repos.workflow.setMinMax(rows, actor.label);
      await repos.audit.append(
        rows.map((r) => ({
          actor: actor.label,
          action: 'update',
          objectType: 'min-max-value',
          objectId: `${r.de}.${r.coc}`,
          after: r,
          placePath: paths.get(r.ou)!,
        })),
      );
      return { saved: rows.length };
    });
  }
}

/**
 * Evaluates every rule at every place and attribute option combo that has values, and with one
 * combo given, also at the places without values (for rules that never skip).
 */
function evaluateRules(rules: CompiledRule[], values: NumericValue[], period: string, aoc: string | null, places: Map<string, string>): RuleViolation[] {
  const byUnit = new Map<string, NumericValue[]>();
  for (const v of values) {
    const k = `${v.ou}|${v.aoc}`;
    (byUnit.get(k) ?? byUnit.set(k, []).get(k)!).push(v);
  }
  const units = new Set([...byUnit.keys(), ...(aoc ? [...places.keys()].map((ou) => `${ou}|${aoc}`) : [])]);
  const out: RuleViolation[] = [];
  for (const unit of units) {
    const [ou, unitAoc] = unit.split('|') as [string, string];
    const vs = byUnit.get(unit) ?? [];
    const lookup = (r: Operand) => {
      let sum: number | null = null;
      for (const v of vs) if (v.de === r.de && (r.coc === null || v.coc === r.coc) && (r.aoc === null || v.aoc === r.aoc)) sum = (sum ?? 0) + v.value;
      return sum;
    };
    for (const { row, left, right } of rules) {
      const l = evaluate(left, lookup);
      const r = evaluate(right, lookup);
      const missing = l.missing + r.missing;
      const refs = l.references + r.references;
      const strategy = row.missingValueStrategy;
      if (strategy === 'SKIP_IF_ANY_VALUE_MISSING' && missing > 0) continue;
      if (strategy === 'SKIP_IF_ALL_VALUES_MISSING' && refs > 0 && missing === refs) continue;
      let ok: boolean;
      if (row.operator === 'compulsory_pair') ok = l.missing < l.references === r.missing < r.references;
      else if (row.operator === 'exclusive_pair') ok = !(l.missing < l.references && r.missing < r.references);
      else ok = l.value === null || r.value === null || OPERATORS[row.operator]!(l.value, r.value);
      if (ok) continue;
      out.push({
        rule: { id: row.id, code: row.code, name: row.name, description: row.description, importance: row.importance, operator: row.operator },
        orgUnit: { id: ou, name: places.get(ou) ?? ou },
        period,
        attributeOptionCombo: unitAoc,
        leftSide: { expression: row.leftExpression, value: l.value },
        rightSide: { expression: row.rightExpression, value: r.value },
      });
    }
  }
  return out;
}
