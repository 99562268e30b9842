import type { Simulation } from './engine.js';
import { ALL_TYPES, SUSCEPTIBLE, type World } from './world.js';

/** Why an agent left: background death, HIV death, or reaching the maximum age. */
export type ExitKind = 'death' | 'hiv' | 'ageing';

/**
 * What a run records (DESIGN §5.6): yearly series per cell (home place × group × sex), the
 * who-infects-whom matrix, and infections bridged to home partners. Typed arrays only, so a result
 * crosses a worker boundary without copying its structure element by element.
 */
export class Outputs {
  readonly years: number;
  readonly cells: number;
  readonly stepsPerYear: number;
  /** Agents of each cell (constant: entries replace exits). */
  readonly size: Int32Array;
  /** People living with HIV in each cell now. */
  readonly infected: Int32Array;
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
  commercialContacts = 0;
  private readonly nGroups: number;
  private readonly nPlaces: number;

  constructor(world: World) {
    this.stepsPerYear = Math.round(1 / world.dt);
    this.years = Math.ceil(world.steps / this.stepsPerYear);
    this.nGroups = world.nGroups;
    this.nPlaces = world.nPlaces;
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

  private year(sim: Simulation): number {
    return Math.min(this.years - 1, Math.floor(sim.t / this.stepsPerYear));
  }

  recordInfection(sim: Simulation, source: number, target: number, place: number, type: number): void {
    const y = this.year(sim);
    this.infections[y * this.cells + sim.cell[target]!]!++;
    const away = place !== sim.home[source] ? 1 : 0;
    const G = this.nGroups;
    this.matrix[(((sim.group[source]! * G + sim.group[target]!) * this.nPlaces + place) * ALL_TYPES + type) * 2 + away]!++;
    // Bridged: a home partner infected at home by someone who acquired HIV away from home.
    if (place === sim.home[target] && place === sim.home[source] && sim.acquiredAway[source]) {
      this.bridged[(y * this.nPlaces + place) * G + sim.group[source]!]!++;
    }
  }

  recordExit(sim: Simulation, i: number, kind: ExitKind): void {
    const cell = sim.cell[i]!;
    if (sim.hiv[i] !== SUSCEPTIBLE) this.infected[cell]!--;
    if (kind === 'ageing') return;
    const y = this.year(sim);
    (kind === 'hiv' ? this.deathsHiv : this.deathsOther)[y * this.cells + cell]!++;
  }

  /** Person-time at risk every step; stocks at the end of each year. */
  endStep(sim: Simulation): void {
    const y = this.year(sim);
    const dt = sim.world.dt;
    const base = y * this.cells;
    for (let c = 0; c < this.cells; c++) this.susceptibleYears[base + c]! += (this.size[c]! - this.infected[c]!) * dt;
    if ((sim.t + 1) % this.stepsPerYear !== 0 && sim.t + 1 !== sim.world.steps) return;
    for (let i = 0; i < sim.n; i++) {
      const k = base + sim.cell[i]!;
      this.population[k]!++;
      if (sim.hiv[i] === SUSCEPTIBLE) continue;
      this.plhiv[k]!++;
      if (sim.diagnosed[i]) this.diagnosed[k]!++;
      if (sim.onArt[i]) this.onArt[k]!++;
      if (sim.suppressed[i]) this.suppressed[k]!++;
    }
  }
}
