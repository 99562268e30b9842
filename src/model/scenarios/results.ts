import { toCsv } from '../../lib/csv.js';
import type { RunOutputs } from '../core/outputs.js';
import { ALL_TYPES, TYPE_NAMES } from '../core/world.js';
import type { Scenario } from './scenario.schema.js';
import type { WorldLabels } from './compile.js';

/** One year of one cell: residents of a place, of one group and sex. */
export interface SeriesRow {
  year: number;
  place: string;
  group: string;
  sex: 'F' | 'M';
  population: number;
  plhiv: number;
  infections: number;
  incidencePer100py: number;
  prevalence: number;
  diagnosed: number;
  onArt: number;
  suppressed: number;
  deathsHiv: number;
  deathsOther: number;
}

export interface MatrixRow {
  sourceGroup: string;
  targetGroup: string;
  place: string;
  type: (typeof TYPE_NAMES)[number];
  /** The source was away from home when transmitting. */
  sourceAway: boolean;
  infections: number;
}

export interface BridgedRow {
  year: number;
  place: string;
  sourceGroup: string;
  infections: number;
}

/** What one run (scenario × seed) produced, labelled. */
export interface RunResult {
  scenario: string;
  illustrative: boolean;
  seed: number;
  startYear: number;
  years: number;
  timeStep: 'week' | 'month';
  places: WorldLabels['places'];
  groups: WorldLabels['groups'];
  series: SeriesRow[];
  whoInfectsWhom: MatrixRow[];
  bridged: BridgedRow[];
  totals: { infections: number; bridgedInfections: number; deathsHiv: number; commercialContacts: number; finalPrevalence: number };
}

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Labels a run's outputs with the scenario's place and group codes. */
export function toRunResult(scenario: Scenario, seed: number, labels: WorldLabels, out: RunOutputs): RunResult {
  const G = labels.groups.length;
  const P = labels.places.length;
  const series: SeriesRow[] = [];
  for (let y = 0; y < out.years; y++) {
    for (let place = 0; place < P; place++) {
      for (let g = 0; g < G; g++) {
        for (let sex = 0; sex < 2; sex++) {
          const cell = (place * G + g) * 2 + sex;
          if (out.size[cell] === 0) continue;
          const k = y * out.cells + cell;
          const pop = out.population[k]!;
          const py = out.susceptibleYears[k]!;
          series.push({
            year: labels.startYear + y,
            place: labels.places[place]!.code,
            group: labels.groups[g]!.code,
            sex: sex === 0 ? 'M' : 'F',
            population: pop,
            plhiv: out.plhiv[k]!,
            infections: out.infections[k]!,
            incidencePer100py: py > 0 ? round((100 * out.infections[k]!) / py, 4) : 0,
            prevalence: pop > 0 ? round(out.plhiv[k]! / pop) : 0,
            diagnosed: out.diagnosed[k]!,
            onArt: out.onArt[k]!,
            suppressed: out.suppressed[k]!,
            deathsHiv: out.deathsHiv[k]!,
            deathsOther: out.deathsOther[k]!,
          });
        }
      }
    }
  }
  const whoInfectsWhom: MatrixRow[] = [];
  for (let s = 0; s < G; s++)
    for (let t = 0; t < G; t++)
      for (let place = 0; place < P; place++)
        for (let type = 0; type < ALL_TYPES; type++)
          for (let away = 0; away < 2; away++) {
            const n = out.matrix[(((s * G + t) * P + place) * ALL_TYPES + type) * 2 + away]!;
            if (n > 0) {
              whoInfectsWhom.push({
                sourceGroup: labels.groups[s]!.code,
                targetGroup: labels.groups[t]!.code,
                place: labels.places[place]!.code,
                type: TYPE_NAMES[type]!,
                sourceAway: away === 1,
                infections: n,
              });
            }
          }
  const bridged: BridgedRow[] = [];
  for (let y = 0; y < out.years; y++)
    for (let place = 0; place < P; place++)
      for (let g = 0; g < G; g++) {
        const n = out.bridged[(y * P + place) * G + g]!;
        if (n > 0) bridged.push({ year: labels.startYear + y, place: labels.places[place]!.code, sourceGroup: labels.groups[g]!.code, infections: n });
      }
  const last = series.filter((r) => r.year === labels.startYear + out.years - 1);
  const finalPop = last.reduce((s, r) => s + r.population, 0);
  return {
    scenario: scenario.name,
    illustrative: scenario.illustrative,
    seed,
    startYear: labels.startYear,
    years: out.years,
    timeStep: scenario.timeStep,
    places: labels.places,
    groups: labels.groups,
    series,
    whoInfectsWhom,
    bridged,
    totals: {
      infections: series.reduce((s, r) => s + r.infections, 0),
      bridgedInfections: bridged.reduce((s, r) => s + r.infections, 0),
      deathsHiv: series.reduce((s, r) => s + r.deathsHiv, 0),
      commercialContacts: out.commercialContacts,
      finalPrevalence: finalPop > 0 ? round(last.reduce((s, r) => s + r.plhiv, 0) / finalPop) : 0,
    },
  };
}

/** Mean and 95% interval (2.5th and 97.5th percentiles) of a value across runs. */
export interface Interval {
  mean: number;
  lo: number;
  hi: number;
}

function interval(values: number[]): Interval {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => {
    const pos = (sorted.length - 1) * p;
    const lo = Math.floor(pos);
    return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (pos - lo);
  };
  return { mean: round(values.reduce((s, v) => s + v, 0) / values.length), lo: round(q(0.025)), hi: round(q(0.975)) };
}

const METRICS = [
  'population',
  'plhiv',
  'infections',
  'incidencePer100py',
  'prevalence',
  'diagnosed',
  'onArt',
  'suppressed',
  'deathsHiv',
  'deathsOther',
] as const;

/** Several runs of one scenario and their summary across seeds. */
export interface MultiRunResult {
  scenario: string;
  illustrative: boolean;
  seeds: number[];
  summary: {
    series: (Pick<SeriesRow, 'year' | 'place' | 'group' | 'sex'> & Record<(typeof METRICS)[number], Interval>)[];
    totals: Record<keyof RunResult['totals'], Interval>;
  };
  runs: RunResult[];
}

/** Summarises runs of the same scenario (same cells in the same order) by mean and 95% interval. */
export function summarize(runs: RunResult[]): MultiRunResult {
  const first = runs[0]!;
  const series = first.series.map((row, k) => {
    const out: Record<string, unknown> = { year: row.year, place: row.place, group: row.group, sex: row.sex };
    for (const m of METRICS) out[m] = interval(runs.map((r) => r.series[k]![m]));
    return out as MultiRunResult['summary']['series'][number];
  });
  const totals = Object.fromEntries(
    (Object.keys(first.totals) as (keyof RunResult['totals'])[]).map((key) => [key, interval(runs.map((r) => r.totals[key]))]),
  ) as MultiRunResult['summary']['totals'];
  return { scenario: first.scenario, illustrative: first.illustrative, seeds: runs.map((r) => r.seed), summary: { series, totals }, runs };
}

/** CSV files of a set of runs: series, who-infects-whom and bridged infections, one row per run × key. */
export function toCsvFiles(runs: RunResult[]): Record<string, string> {
  const seriesHeader = ['seed', 'year', 'place', 'group', 'sex', ...METRICS];
  const series = runs.flatMap((r) => r.series.map((row) => [r.seed, row.year, row.place, row.group, row.sex, ...METRICS.map((m) => row[m])]));
  const matrix = runs.flatMap((r) => r.whoInfectsWhom.map((m) => [r.seed, m.sourceGroup, m.targetGroup, m.place, m.type, m.sourceAway, m.infections]));
  const bridged = runs.flatMap((r) => r.bridged.map((b) => [r.seed, b.year, b.place, b.sourceGroup, b.infections]));
  return {
    'series.csv': toCsv(seriesHeader, series),
    'who-infects-whom.csv': toCsv(['seed', 'source_group', 'target_group', 'place', 'partnership_type', 'source_away', 'infections'], matrix),
    'bridged.csv': toCsv(['seed', 'year', 'place', 'source_group', 'infections'], bridged),
  };
}
