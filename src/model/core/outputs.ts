import { ALL_TYPES, SUSCEPTIBLE, type World } from './world.js';

/** Why an agent left: background death, HIV death, or reaching the maximum age. */
export type ExitKind = 'death' | 'hiv' | 'ageing';

/**
 * What the outputs read of the engine's agents: read-only views of some of its columns, indexed
 * by agent slot. The engine hands them over once, so that its columns stay its own (outputs never
 * see the `Simulation` itself, and this module imports nothing of the engine).
 */
export interface AgentColumns {
  /** Agent slots. */
  readonly n: number;
  /** Output cell of each slot: (home place × group) × sex. */
  readonly cell: ArrayLike<number>;
  readonly home: ArrayLike<number>;
  readonly group: ArrayLike<number>;
  readonly hiv: ArrayLike<number>;
  /** 1 when the agent acquired HIV away from home. */
  readonly acquiredAway: ArrayLike<number>;
  readonly diagnosed: ArrayLike<number>;
  readonly onArt: ArrayLike<number>;
  readonly suppressed: ArrayLike<number>;
}

/**
 * The recorded outputs of one run and nothing else: numbers and typed arrays, the engine's raw
 * result. This is what a worker sends back (its arrays transferred, not copied); labelling them
 * with place and group codes is the scenario layer's work (`src/model/scenarios/results.ts`).
 */
export interface RunOutputs {
  readonly years: number;
  readonly cells: number;
  readonly stepsPerYear: number;
  /** Agents of each cell (constant: entries replace exits). */
  readonly size: Int32Array;
  // Yearly series, indexed [year * cells + cell]. Stocks are taken at the end of each year.
  readonly population: Int32Array;
  readonly plhiv: Int32Array;
  readonly diagnosed: Int32Array;
  readonly onArt: Int32Array;
  readonly suppressed: Int32Array;
  readonly infections: Int32Array;
  readonly susceptibleYears: Float64Array;
  readonly deathsHiv: Int32Array;
  readonly deathsOther: Int32Array;
  /** Infections by [sourceGroup][targetGroup][place][type][sourceAway]. */
  readonly matrix: Int32Array;
  /** Home partners infected by a partner who acquired HIV away from home, [year][place][sourceGroup]. */
  readonly bridged: Int32Array;
  readonly commercialContacts: number;
}

/**
 * What a run records (DESIGN §5.6): yearly series per cell (home place × group × sex), the
 * who-infects-whom matrix, and infections bridged to home partners. Typed arrays only, so a result
 * crosses a worker boundary without copying its structure element by element.
 */
export class Outputs implements RunOutputs {
  readonly years: number;
  readonly cells: number;
  readonly stepsPerYear: number;
  readonly size: Int32Array;
  /** People living with HIV in each cell now. */
  readonly infected: Int32Array;
  readonly population: Int32Array;
  readonly plhiv: Int32Array;
  readonly diagnosed: Int32Array;
  readonly onArt: Int32Array;
  readonly suppressed: Int32Array;
  readonly infections: Int32Array;
  readonly susceptibleYears: Float64Array;
  readonly deathsHiv: Int32Array;
  readonly deathsOther: Int32Array;
  readonly matrix: Int32Array;
  readonly bridged: Int32Array;
  commercialContacts = 0;
  private readonly nGroups: number;
  private readonly nPlaces: number;
  private readonly dt: number;
  private readonly steps: number;

  constructor(
    world: World,
    private readonly agents: AgentColumns,
  ) {
    this.stepsPerYear = Math.round(1 / world.dt);
    this.years = Math.ceil(world.steps / this.stepsPerYear);
    this.nGroups = world.nGroups;
    this.nPlaces = world.nPlaces;
    this.dt = world.dt;
    this.steps = world.steps;
    this.cells = world.nPlaces * world.nGroups * 2;
    this.size = new Int32Array(this.cells);
    for (const p of world.profiles) this.size[(p.home * world.nGroups + p.group) * 2 + p.sex]! += p.count;
    this.infected = new Int32Array(this.cells);
    const yearly = this.years * this.cells;
    this.population = new Int32Array(yearly);
    this.plhiv = new Int32Array(yearly);
    this.diagnosed = new Int32Array(yearly);
    this.onArt = new Int32Array(yearly);
    this.suppressed = new Int32Array(yearly);
    this.infections = new Int32Array(yearly);
    this.susceptibleYears = new Float64Array(yearly);
    this.deathsHiv = new Int32Array(yearly);
    this.deathsOther = new Int32Array(yearly);
    this.matrix = new Int32Array(this.nGroups * this.nGroups * this.nPlaces * ALL_TYPES * 2);
    this.bridged = new Int32Array(this.years * this.nPlaces * this.nGroups);
  }

  private year(t: number): number {
    return Math.min(this.years - 1, Math.floor(t / this.stepsPerYear));
  }

  /** An infection at step t of `target` by `source`, at `place`, in a partnership (or contact) of `type`. */
  recordInfection(t: number, source: number, target: number, place: number, type: number): void {
    const a = this.agents;
    const y = this.year(t);
    this.infections[y * this.cells + a.cell[target]!]!++;
    const away = place !== a.home[source] ? 1 : 0;
    const G = this.nGroups;
    this.matrix[(((a.group[source]! * G + a.group[target]!) * this.nPlaces + place) * ALL_TYPES + type) * 2 + away]!++;
    // Bridged: a home partner infected at home by someone who acquired HIV away from home.
    if (place === a.home[target] && place === a.home[source] && a.acquiredAway[source]) {
      this.bridged[(y * this.nPlaces + place) * G + a.group[source]!]!++;
    }
  }

  /** Agent i leaves at step t (before its slot is reused). */
  recordExit(t: number, i: number, kind: ExitKind): void {
    const a = this.agents;
    const cell = a.cell[i]!;
    if (a.hiv[i] !== SUSCEPTIBLE) this.infected[cell]!--;
    if (kind === 'ageing') return;
    const y = this.year(t);
    (kind === 'hiv' ? this.deathsHiv : this.deathsOther)[y * this.cells + cell]!++;
  }

  /** Person-time at risk every step; stocks at the end of each year. */
  endStep(t: number): void {
    const a = this.agents;
    const y = this.year(t);
    const dt = this.dt;
    const base = y * this.cells;
    for (let c = 0; c < this.cells; c++) this.susceptibleYears[base + c]! += (this.size[c]! - this.infected[c]!) * dt;
    if ((t + 1) % this.stepsPerYear !== 0 && t + 1 !== this.steps) return;
    for (let i = 0; i < a.n; i++) {
      const k = base + a.cell[i]!;
      this.population[k]!++;
      if (a.hiv[i] === SUSCEPTIBLE) continue;
      this.plhiv[k]!++;
      if (a.diagnosed[i]) this.diagnosed[k]!++;
      if (a.onArt[i]) this.onArt[k]!++;
      if (a.suppressed[i]) this.suppressed[k]!++;
    }
  }

  /** The recorded outputs alone, without the view of the engine's agents: what a worker sends back. */
  data(): RunOutputs {
    const {
      years,
      cells,
      stepsPerYear,
      size,
      population,
      plhiv,
      diagnosed,
      onArt,
      suppressed,
      infections,
      susceptibleYears,
      deathsHiv,
      deathsOther,
      matrix,
      bridged,
      commercialContacts,
    } = this;
    return {
      years,
      cells,
      stepsPerYear,
      size,
      population,
      plhiv,
      diagnosed,
      onArt,
      suppressed,
      infections,
      susceptibleYears,
      deathsHiv,
      deathsOther,
      matrix,
      bridged,
      commercialContacts,
    };
  }
}
