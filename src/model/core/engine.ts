import { draw, exponential, geometricSteps, Purpose, PURPOSES, stepKey, streamKey, weibull } from './rng.js';
import {
  ACUTE,
  CHRONIC,
  COMMERCIAL,
  FEMALE,
  LATE,
  MALE,
  RISKS,
  STORED_TYPES,
  SUSCEPTIBLE,
  type World,
} from './world.js';
import { Outputs } from './outputs.js';

const NONE = -1;

/**
 * The agent-based network model (DESIGN §5). Agent state is columns of typed arrays indexed by
 * agent slot; partnerships are parallel arrays with a free list, linked to both partners through
 * per-agent lists. Pure: no I/O, no clock, randomness only from the counter-based streams.
 */
export class Simulation {
  readonly world: World;
  readonly n: number;
  readonly outputs: Outputs;
  /** The current step; negative during burn-in. */
  t: number;

  // --- agents (one slot each; a slot is reborn as a new agent when its agent exits) ---
  readonly uid: Int32Array;
  readonly profile: Uint16Array;
  readonly group: Uint16Array;
  readonly home: Uint16Array;
  readonly sex: Uint8Array;
  readonly risk: Uint8Array;
  readonly sexWorker: Uint8Array;
  readonly pattern: Int16Array;
  readonly loc: Uint16Array;
  /** Step at which the agent was (or would have been) at the minimum age, so age = minAge + (t - entryStep) * dt. */
  readonly entryStep: Int32Array;
  /** Step at which the agent leaves for reasons other than HIV (ageing out or background death). */
  readonly exitStep: Int32Array;
  readonly exitIsDeath: Uint8Array;
  readonly mobilityOffset: Int32Array;
  readonly returned: Uint8Array;
  readonly hiv: Uint8Array;
  readonly infStep: Int32Array;
  /** Years since infection, not counting time on ART (ART halts progression). */
  readonly hivClock: Float64Array;
  readonly survival: Float64Array;
  readonly infPlace: Uint16Array;
  /** Agents living with HIV, dense (transmission visits only partnerships with an infected member), and each one's position. */
  private readonly infectedList: Int32Array;
  private readonly infectedPos: Int32Array;
  private infectedCount = 0;
  readonly acquiredAway: Uint8Array;
  readonly diagnosed: Uint8Array;
  readonly onArt: Uint8Array;
  readonly artStart: Int32Array;
  readonly suppressed: Uint8Array;
  readonly circumcised: Uint8Array;
  readonly onPrep: Uint8Array;
  /** Concurrent partnerships by type: [agent * STORED_TYPES + type]. */
  readonly partnerCount: Uint8Array;
  /** First node of the agent's partnership list; node = 2 * partnership + side. */
  readonly head: Int32Array;

  // --- partnerships ---
  capacity: number;
  pMan: Int32Array;
  pWoman: Int32Array;
  pType: Uint8Array;
  pPlace: Uint16Array;
  pEnd: Int32Array;
  pActive: Uint8Array;
  nodeNext: Int32Array;
  freeList: Int32Array;
  freeTop: number;
  /** Ids of active partnerships, dense, and each one's position in it. */
  activeList: Int32Array;
  activePos: Int32Array;
  activePartnerships = 0;

  /** Random stream key of each agent (from its unique id). */
  readonly key: Int32Array;
  /** Keys of this step's draw purposes. */
  private readonly stepKeys = new Int32Array(PURPOSES);
  /** Target partners by type for each slot, [agent * STORED_TYPES + type] (fixed by the slot's profile). */
  private readonly target: Uint8Array;
  /** Bit `type` set while the agent has fewer partners of that type than its target. */
  readonly seeking: Uint8Array;
  /**
   * Step of a seeking man's next attempt to form each type, [agent * STORED_TYPES + type]: a
   * geometric waiting time drawn when he starts seeking, equivalent to a Bernoulli trial per step
   * (memoryless) but without a draw per man per step.
   */
  private readonly nextAttempt: Int32Array;
  /** The earliest of a man's next attempts. */
  private readonly nextDue: Int32Array;
  private readonly women: Int32Array;
  private readonly men: Int32Array;
  private readonly clients: Int32Array;
  /**
   * Exit calendar: agents listed by exit step modulo its size (larger than any life span in
   * steps), doubly linked so a rebirth can move an agent to its new exit step.
   */
  private readonly exitWheel: Int32Array;
  private readonly wheelMask: number;
  private readonly wheelNext: Int32Array;
  private readonly wheelPrev: Int32Array;
  /** The calendar slot each agent is filed under, or -1. */
  private readonly wheelSlot: Int32Array;
  /** Output cell of each slot: (home place × group) × sex, fixed for the slot's life. */
  readonly cell: Int32Array;
  private readonly mobile: Int32Array;
  private readonly targets: Uint8Array[];
  // Seeker buckets, rebuilt each step: women seeking each type at each place, and sex workers present.
  private readonly bucketStart: Int32Array;
  private readonly bucketEnd: Int32Array;
  private bucket: Int32Array;
  private readonly pairScratch: Int32Array;
  private readonly bucketEntry: Int32Array;
  private readonly bucketRisk: Uint8Array;
  /**
   * Probability that a man accepts a woman by their age gap: a Gaussian around the preferred gap
   * (men older), tabulated by the gap in steps (entry steps differ by whole steps).
   */
  private readonly ageAccept: Float64Array;
  private readonly sexWorkers: Int32Array;
  private readonly swStart: Int32Array;
  private readonly swEnd: Int32Array;
  private readonly swBucket: Int32Array;

  constructor(world: World) {
    this.world = world;
    const n = world.profiles.reduce((s, p) => s + p.count, 0);
    this.n = n;
    this.uid = new Int32Array(n);
    this.profile = new Uint16Array(n);
    this.group = new Uint16Array(n);
    this.home = new Uint16Array(n);
    this.sex = new Uint8Array(n);
    this.risk = new Uint8Array(n);
    this.sexWorker = new Uint8Array(n);
    this.pattern = new Int16Array(n);
    this.loc = new Uint16Array(n);
    this.entryStep = new Int32Array(n);
    this.exitStep = new Int32Array(n);
    this.exitIsDeath = new Uint8Array(n);
    this.mobilityOffset = new Int32Array(n);
    this.returned = new Uint8Array(n);
    this.hiv = new Uint8Array(n);
    this.infStep = new Int32Array(n);
    this.hivClock = new Float64Array(n);
    this.survival = new Float64Array(n);
    this.infPlace = new Uint16Array(n);
    this.infectedList = new Int32Array(n);
    this.infectedPos = new Int32Array(n).fill(NONE);
    this.acquiredAway = new Uint8Array(n);
    this.diagnosed = new Uint8Array(n);
    this.onArt = new Uint8Array(n);
    this.artStart = new Int32Array(n);
    this.suppressed = new Uint8Array(n);
    this.circumcised = new Uint8Array(n);
    this.onPrep = new Uint8Array(n);
    this.partnerCount = new Uint8Array(n * STORED_TYPES);
    this.head = new Int32Array(n).fill(NONE);
    this.targets = world.types.map((ty) => ty.target);

    this.capacity = Math.max(16, Math.ceil(n / 2));
    this.pMan = new Int32Array(this.capacity);
    this.pWoman = new Int32Array(this.capacity);
    this.pType = new Uint8Array(this.capacity);
    this.pPlace = new Uint16Array(this.capacity);
    this.pEnd = new Int32Array(this.capacity);
    this.pActive = new Uint8Array(this.capacity);
    this.nodeNext = new Int32Array(2 * this.capacity);
    this.freeList = new Int32Array(this.capacity);
    this.activeList = new Int32Array(this.capacity);
    this.activePos = new Int32Array(this.capacity);
    for (let k = 0; k < this.capacity; k++) this.freeList[k] = this.capacity - 1 - k;
    this.freeTop = this.capacity;

    const buckets = world.nPlaces * STORED_TYPES;
    this.bucketStart = new Int32Array(buckets);
    this.bucketEnd = new Int32Array(buckets);
    this.bucket = new Int32Array(0);
    this.swStart = new Int32Array(world.nPlaces);
    this.swEnd = new Int32Array(world.nPlaces);
    this.swBucket = new Int32Array(n);

    this.outputs = new Outputs(world);
    this.cell = new Int32Array(n);
    this.key = new Int32Array(n);
    this.target = new Uint8Array(n * STORED_TYPES);
    this.seeking = new Uint8Array(n);
    let wheelSize = 2;
    while (wheelSize <= Math.ceil((world.maxAge - world.minAge) / world.dt) + 2) wheelSize *= 2;
    this.exitWheel = new Int32Array(wheelSize).fill(NONE);
    this.wheelMask = wheelSize - 1;
    this.wheelNext = new Int32Array(n).fill(NONE);
    this.wheelPrev = new Int32Array(n).fill(NONE);
    this.wheelSlot = new Int32Array(n).fill(NONE);
    this.nextAttempt = new Int32Array(n * STORED_TYPES);
    this.nextDue = new Int32Array(n);
    this.t = -world.burnInSteps;
    this.tabulateStepKeys();
    const women: number[] = [];
    const men: number[] = [];
    const clients: number[] = [];

    let i = 0;
    const mobile: number[] = [];
    world.profiles.forEach((p, pi) => {
      for (let k = 0; k < p.count; k++, i++) {
        this.profile[i] = pi;
        this.group[i] = p.group;
        this.home[i] = p.home;
        this.sex[i] = p.sex;
        this.risk[i] = p.risk;
        this.sexWorker[i] = p.sexWorker ? 1 : 0;
        this.pattern[i] = p.pattern;
        if (p.pattern >= 0) mobile.push(i);
        this.uid[i] = i + 1;
        this.key[i] = streamKey(world.seed, i + 1);
        this.cell[i] = (p.home * world.nGroups + p.group) * 2 + p.sex;
        for (let ty = 0; ty < STORED_TYPES; ty++) this.target[i * STORED_TYPES + ty] = world.types[ty]!.target[p.sex * RISKS + p.risk]!;
        (p.sex === FEMALE ? women : men).push(i);
        if (p.sex === MALE && p.commercialProbPerStep > 0) clients.push(i);
        this.initAgent(i, true);
      }
    });
    this.mobile = Int32Array.from(mobile);
    this.women = Int32Array.from(women);
    // A woman may seek every stored type at once, so she may sit in that many buckets.
    this.bucket = new Int32Array(Math.max(1, STORED_TYPES * women.length));
    const maxGap = Math.ceil((world.maxAge - world.minAge) / world.dt) + 1;
    this.ageAccept = new Float64Array(2 * maxGap + 1);
    for (let g = -maxGap; g <= maxGap; g++) {
      const z = g * world.dt - world.ageGapMean;
      this.ageAccept[g + maxGap] = Math.exp(-(z * z) / (2 * world.ageGapSd * world.ageGapSd));
    }
    this.bucketEntry = new Int32Array(this.bucket.length);
    this.bucketRisk = new Uint8Array(this.bucket.length);
    this.pairScratch = new Int32Array(Math.max(2, 2 * STORED_TYPES * women.length));
    this.sexWorkers = Int32Array.from(women.filter((i) => this.sexWorker[i]));
    this.men = Int32Array.from(men);
    this.clients = Int32Array.from(clients);
    for (const m of this.mobile) this.loc[m] = this.whereIs(m, this.t);
  }

  private tabulateStepKeys(): void {
    for (let p = 0; p < PURPOSES; p++) this.stepKeys[p] = stepKey(this.world.seed, this.t, p);
  }

  /** Agent i's draw for `purpose` this step. */
  private u(i: number, purpose: number): number {
    return draw(this.key[i]!, this.stepKeys[purpose]!);
  }

  /** A draw on the stream of the pair (i, j), for decisions about their partnership. */
  private pairU(i: number, j: number, purpose: number): number {
    return draw(this.key[i]! ^ Math.imul(this.key[j]!, 0x27d4eb2d), this.stepKeys[purpose]!);
  }

  private updateSeeking(i: number): void {
    const before = this.seeking[i]!;
    let mask = 0;
    for (let ty = 0; ty < STORED_TYPES; ty++) {
      const k = i * STORED_TYPES + ty;
      if (this.partnerCount[k]! < this.target[k]!) mask |= 1 << ty;
    }
    this.seeking[i] = mask;
    // A man who starts seeking a type draws when he will first try (after the mask is complete,
    // so that his earliest attempt over all the types he seeks is right).
    const added = mask & ~before;
    if (added !== 0 && this.sex[i] === MALE) {
      for (let ty = 0; ty < STORED_TYPES; ty++) if (added & (1 << ty)) this.scheduleAttempt(i, ty);
    }
  }

  /** Draws the step of the next formation attempt of type ty (at least the next step). */
  private scheduleAttempt(i: number, ty: number): void {
    const p = this.world.types[ty]!.formationProbPerStep;
    const wait = p <= 0 ? 2 ** 30 : geometricSteps(this.u(i, Purpose.FormSchedule + ty), 1 / p);
    this.nextAttempt[i * STORED_TYPES + ty] = Math.min(2 ** 30, this.t + wait);
    // The earliest attempt of any type the man seeks: the formation loop skips him until then.
    let due = 2 ** 30;
    for (let k = 0; k < STORED_TYPES; k++) {
      if (this.seeking[i]! & (1 << k)) due = Math.min(due, this.nextAttempt[i * STORED_TYPES + k]!);
    }
    this.nextDue[i] = due;
  }

  /** Sets up slot i as a new agent: at the bottom of its block's age band, or at the start of any age in it. */
  private initAgent(i: number, atStart: boolean): void {
    const w = this.world;
    const p = w.profiles[this.profile[i]!]!;
    const stepsPerYear = 1 / w.dt;
    // Ages and life spans count from step 0: burn-in only builds the network, nobody ages in it.
    // Entrants join their block at its lowest age and leave it at its highest, so each block
    // keeps its size and age band.
    const now = Math.max(0, this.t);
    const age = atStart ? p.ageMin + this.u(i, Purpose.Age) * (p.ageMax - p.ageMin) : p.ageMin;
    this.entryStep[i] = now - Math.round((age - w.minAge) * stepsPerYear);
    const ageOut = this.entryStep[i]! + Math.max(1, Math.round((p.ageMax - w.minAge) * stepsPerYear));
    const death = now + 1 + Math.floor(exponential(this.u(i, Purpose.Death), 1 / w.backgroundMortalityPerYear) * stepsPerYear);
    this.exitIsDeath[i] = death < ageOut ? 1 : 0;
    this.exitStep[i] = Math.max(now + 1, Math.min(ageOut, death));
    this.scheduleExit(i);
    this.loc[i] = p.home;
    this.returned[i] = 0;
    this.mobilityOffset[i] =
      p.pattern >= 0 ? this.offsetFor(i, w.patterns[p.pattern]!.synchronized, w.patterns[p.pattern]!) : 0;
    this.hiv[i] = SUSCEPTIBLE;
    this.hivClock[i] = 0;
    this.diagnosed[i] = 0;
    this.onArt[i] = 0;
    this.suppressed[i] = 0;
    this.acquiredAway[i] = 0;
    this.circumcised[i] = p.sex === MALE && this.u(i, Purpose.Circumcision) < p.circumcisedShare ? 1 : 0;
    this.onPrep[i] = this.u(i, Purpose.Prep) < p.prepCoverage ? 1 : 0;
    for (let ty = 0; ty < STORED_TYPES; ty++) this.partnerCount[i * STORED_TYPES + ty] = 0;
    this.seeking[i] = 0;
    this.updateSeeking(i);
    if (atStart && this.u(i, Purpose.InitialInfection) < p.initialPrevalence) {
      this.infect(i, p.home, false);
      // A prevalent infection in a settled epidemic: long courses are over-represented in
      // proportion to their length (length-biased survival, by rejection), and the infection is
      // at a uniform point of its course.
      const h = w.history;
      const cap = 3 * h.survivalScaleYears; // P(T > 3λ) = exp(-3^k) ≈ 1e-5 for k = 2.25
      for (let k = 0; k < 16; k++) {
        const t = weibull(this.u(i, Purpose.InitialSurvival + k), h.survivalShape, h.survivalScaleYears);
        this.survival[i] = t;
        if (this.u(i, Purpose.InitialSurvival + 16 + k) * cap < t) break;
      }
      this.hivClock[i] = this.u(i, Purpose.InitialStage) * this.survival[i]!;
      this.hiv[i] = this.stageOf(i);
      if (this.u(i, Purpose.Test) < w.care.initialDiagnosedShare) {
        this.diagnosed[i] = 1;
        if (this.u(i, Purpose.Link) < w.care.initialOnArtShare) {
          this.onArt[i] = 1;
          this.suppressed[i] = 1;
          this.artStart[i] = this.t - w.care.suppressionDelaySteps;
        }
      }
    }
  }

  /** Files agent i under its exit step in the exit calendar (taking it out of its old place). */
  private scheduleExit(i: number): void {
    const prev = this.wheelPrev[i]!;
    const next = this.wheelNext[i]!;
    const old = this.wheelSlot[i]!;
    if (prev !== NONE) this.wheelNext[prev] = next;
    else if (old !== NONE && this.exitWheel[old] === i) this.exitWheel[old] = next;
    if (next !== NONE) this.wheelPrev[next] = prev;
    const slot = this.exitStep[i]! & this.wheelMask;
    this.wheelPrev[i] = NONE;
    this.wheelNext[i] = this.exitWheel[slot]!;
    if (this.wheelNext[i] !== NONE) this.wheelPrev[this.wheelNext[i]!] = i;
    this.exitWheel[slot] = i;
    this.wheelSlot[i] = slot;
  }

  private offsetFor(i: number, synchronized: boolean, pattern: { schedule: Uint16Array; jitterDays: number }): number {
    const u = this.u(i, Purpose.MobilityOffset);
    return synchronized ? Math.floor(u * (2 * pattern.jitterDays + 1)) - pattern.jitterDays : Math.floor(u * pattern.schedule.length);
  }

  /** Where mobile agent i is during step t: the place of a random day of the step in its cycle. */
  private whereIs(i: number, t: number): number {
    const w = this.world;
    const pat = w.patterns[this.pattern[i]!]!;
    if (pat.oneWay) return this.returned[i] ? this.home[i]! : pat.schedule[0]!;
    const len = pat.schedule.length;
    let day = (Math.floor(t * w.stepDays) + Math.floor(this.u(i, Purpose.MobilityDay) * w.stepDays) + this.mobilityOffset[i]!) % len;
    if (day < 0) day += len;
    return pat.schedule[day]!;
  }

  private stageOf(i: number): number {
    const h = this.world.history;
    const clock = this.hivClock[i]!;
    // Acute for round(acuteYears / dt) steps after the infection step, whatever the step length:
    // the half-step margin keeps the boundary away from the rounding of the accumulated clock.
    if (clock < h.acuteYears + 0.5 * this.world.dt) return ACUTE;
    if (clock < this.survival[i]! - h.lateYears) return CHRONIC;
    return LATE;
  }

  private infect(i: number, place: number, away: boolean): void {
    const h = this.world.history;
    this.hiv[i] = ACUTE;
    this.infStep[i] = this.t;
    this.hivClock[i] = 0;
    this.survival[i] = weibull(this.u(i, Purpose.Survival), h.survivalShape, h.survivalScaleYears);
    this.infPlace[i] = place;
    this.acquiredAway[i] = away ? 1 : 0;
    this.outputs.infected[this.cell[i]!]!++;
    if (this.infectedPos[i] === NONE) {
      this.infectedPos[i] = this.infectedCount;
      this.infectedList[this.infectedCount++] = i;
    }
  }

  // ---------------------------------------------------------------- partnerships

  private grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    const resize = <T extends Int32Array | Uint8Array | Uint16Array>(a: T, size: number): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.pMan = resize(this.pMan, cap);
    this.pWoman = resize(this.pWoman, cap);
    this.pType = resize(this.pType, cap);
    this.pPlace = resize(this.pPlace, cap);
    this.pEnd = resize(this.pEnd, cap);
    this.pActive = resize(this.pActive, cap);
    this.nodeNext = resize(this.nodeNext, 2 * cap);
    this.activeList = resize(this.activeList, cap);
    this.activePos = resize(this.activePos, cap);
    const free = new Int32Array(cap);
    free.set(this.freeList.subarray(0, this.freeTop));
    let top = this.freeTop;
    for (let k = cap - 1; k >= old; k--) free[top++] = k;
    this.freeList = free;
    this.freeTop = top;
    this.capacity = cap;
  }

  private form(man: number, woman: number, type: number, place: number): void {
    if (this.freeTop === 0) this.grow();
    const p = this.freeList[--this.freeTop]!;
    const ty = this.world.types[type]!;
    this.pMan[p] = man;
    this.pWoman[p] = woman;
    this.pType[p] = type;
    this.pPlace[p] = place;
    // Geometric duration in whole steps with the input's mean (an exponential rounded up would
    // add half a step to every partnership).
    this.pEnd[p] = this.t + geometricSteps(this.u(man, Purpose.Duration + type), ty.meanDurationSteps);
    this.pActive[p] = 1;
    this.nodeNext[2 * p] = this.head[man]!;
    this.head[man] = 2 * p;
    this.nodeNext[2 * p + 1] = this.head[woman]!;
    this.head[woman] = 2 * p + 1;
    this.partnerCount[man * STORED_TYPES + type]!++;
    this.partnerCount[woman * STORED_TYPES + type]!++;
    this.updateSeeking(man);
    this.updateSeeking(woman);
    this.activePos[p] = this.activePartnerships;
    this.activeList[this.activePartnerships++] = p;
  }

  private unlink(agent: number, node: number): void {
    let prev = NONE;
    let cur = this.head[agent]!;
    while (cur !== node) {
      prev = cur;
      cur = this.nodeNext[cur]!;
    }
    if (prev === NONE) this.head[agent] = this.nodeNext[cur]!;
    else this.nodeNext[prev] = this.nodeNext[cur]!;
  }

  private dissolve(p: number): void {
    const man = this.pMan[p]!;
    const woman = this.pWoman[p]!;
    const type = this.pType[p]!;
    this.unlink(man, 2 * p);
    this.unlink(woman, 2 * p + 1);
    this.partnerCount[man * STORED_TYPES + type]!--;
    this.partnerCount[woman * STORED_TYPES + type]!--;
    this.updateSeeking(man);
    this.updateSeeking(woman);
    this.pActive[p] = 0;
    this.freeList[this.freeTop++] = p;
    const last = this.activeList[--this.activePartnerships]!;
    this.activeList[this.activePos[p]!] = last;
    this.activePos[last] = this.activePos[p]!;
  }

  private dissolveAllOf(i: number): void {
    while (this.head[i] !== NONE) this.dissolve(this.head[i]! >> 1);
  }

  private arePartners(a: number, b: number): boolean {
    for (let node = this.head[a]!; node !== NONE; node = this.nodeNext[node]!) {
      const p = node >> 1;
      if (this.pMan[p] === b || this.pWoman[p] === b) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- the step

  /** Advances the model by one step. */
  step(): void {
    // Burn-in builds the partnership network; the epidemic and demography wait for step 0.
    const running = this.t >= 0;
    if (running) this.demography();
    this.mobility();
    this.dissolution();
    this.formation();
    if (running) {
      this.commercialContacts();
      this.transmission();
      this.outputs.endStep(this);
    }
    this.t++;
    this.tabulateStepKeys();
  }

  /** Runs burn-in and every step; calls `onYear` after each simulated year. */
  run(onYear?: (year: number, years: number) => void): Outputs {
    const w = this.world;
    const stepsPerYear = Math.round(1 / w.dt);
    while (this.t < w.steps) {
      this.step();
      if (this.t > 0 && this.t % stepsPerYear === 0) onYear?.(this.t / stepsPerYear, Math.ceil(w.steps / stepsPerYear));
    }
    return this.outputs;
  }

  /** Exits (ageing out, background death, HIV death), entries, natural history and care. */
  private demography(): void {
    const w = this.world;
    const t = this.t;
    const dt = w.dt;
    const h = w.history;
    const c = w.care;
    const out = this.outputs;
    // Exits due this step, from the exit calendar.
    const wheel = this.exitWheel;
    for (let i = wheel[t & this.wheelMask]!; i !== NONE; ) {
      const next = this.wheelNext[i]!;
      if (this.exitStep[i] === t) {
        out.recordExit(this, i, this.exitIsDeath[i] ? 'death' : 'ageing');
        this.replace(i);
      }
      i = next;
    }
    // Natural history and care of people living with HIV. Walked backwards: a death moves the
    // last entry of the list into the freed position, which has then been seen already.
    for (let k = this.infectedCount - 1; k >= 0; k--) {
      const i = this.infectedList[k]!;
      // Natural history: time on ART does not count towards progression.
      if (!this.onArt[i]) {
        const clock = (this.hivClock[i] = this.hivClock[i]! + dt);
        if (clock >= this.survival[i]!) {
          out.recordExit(this, i, 'hiv');
          this.replace(i);
          continue;
        }
        this.hiv[i] = clock < h.acuteYears + 0.5 * dt ? ACUTE : clock < this.survival[i]! - h.lateYears ? CHRONIC : LATE;
      }
      // Care cascade.
      if (!this.diagnosed[i]) {
        const p = w.profiles[this.profile[i]!]!.testProbPerStep * w.placeTesting[this.loc[i]!]!;
        if (this.u(i, Purpose.Test) < p) {
          this.diagnosed[i] = 1;
          if (this.u(i, Purpose.Link) < c.linkProb) this.startArt(i);
        }
      } else if (!this.onArt[i]) {
        if (this.u(i, Purpose.Restart) < c.restartProbPerStep) this.startArt(i);
      } else {
        if (!this.suppressed[i] && t - this.artStart[i]! >= c.suppressionDelaySteps) this.suppressed[i] = 1;
        const noRefill = this.loc[i] !== this.home[i] && !w.placeArtRefill[this.loc[i]!];
        const p = c.interruptProbPerStep * (noRefill ? c.interruptMultiplierNoRefill : 1);
        if (this.u(i, Purpose.Interrupt) < p) {
          this.onArt[i] = 0;
          this.suppressed[i] = 0;
        }
      }
    }
  }

  private startArt(i: number): void {
    this.onArt[i] = 1;
    this.suppressed[i] = 0;
    this.artStart[i] = this.t;
  }

  /** Ends the agent in slot i and puts a new entrant of the same block in its place. */
  private replace(i: number): void {
    this.dissolveAllOf(i);
    const pos = this.infectedPos[i]!;
    if (pos !== NONE) {
      const last = this.infectedList[--this.infectedCount]!;
      this.infectedList[pos] = last;
      this.infectedPos[last] = pos;
      this.infectedPos[i] = NONE;
    }
    // The slot's next generation: a new agent's streams depend on its slot only, not on how many
    // agents left before it anywhere, so a change elsewhere leaves its draws alone (DESIGN §5.5).
    this.uid[i] = this.uid[i]! + this.n;
    this.key[i] = streamKey(this.world.seed, this.uid[i]!);
    this.initAgent(i, false);
    if (this.pattern[i]! >= 0) this.loc[i] = this.whereIs(i, this.t);
  }

  /** Moves mobile agents; leaving a place ends or pauses the partnerships held there. */
  private mobility(): void {
    const w = this.world;
    for (let k = 0; k < this.mobile.length; k++) {
      const i = this.mobile[k]!;
      const pat = w.patterns[this.pattern[i]!]!;
      if (pat.oneWay && !this.returned[i] && this.u(i, Purpose.OneWayReturn) < pat.returnProbPerStep) this.returned[i] = 1;
      const to = this.whereIs(i, this.t);
      const from = this.loc[i]!;
      if (to === from) continue;
      this.loc[i] = to;
      let node = this.head[i]!;
      while (node !== NONE) {
        const next = this.nodeNext[node]!;
        const p = node >> 1;
        if (this.pPlace[p] === from) {
          const endOnLeave = w.types[this.pType[p]!]!.endOnLeave;
          const partner = this.pMan[p] === i ? this.pWoman[p]! : this.pMan[p]!;
          if (endOnLeave > 0 && this.pairU(i, partner, Purpose.LeaveEnd) < endOnLeave) {
            this.dissolve(p);
          }
        }
        node = next;
      }
    }
  }

  private dissolution(): void {
    const t = this.t;
    // Walk the dense list backwards: dissolving moves the last entry into the freed position.
    for (let k = this.activePartnerships - 1; k >= 0; k--) {
      const p = this.activeList[k]!;
      if (t >= this.pEnd[p]!) this.dissolve(p);
    }
  }

  /**
   * Matches men and women present at the same place who seek a partnership of the same type,
   * with an age preference (men older) and assortativity by risk group.
   */
  private formation(): void {
    const w = this.world;
    const nPlaces = w.nPlaces;
    const start = this.bucketStart;
    const end = this.bucketEnd;
    const women = this.women;
    const seeking = this.seeking;
    start.fill(0);
    this.swStart.fill(0);
    // The network at step 0 is built during burn-in: then everyone counts as at home for
    // partnerships that form only at home (marital), as if the couples had formed over the years.
    const burnIn = this.t < 0;
    let homeOnly = 0;
    w.types.forEach((ty, k) => (homeOnly |= ty.atHomeOnly ? 1 << k : 0));
    const loc = this.loc;
    const home = this.home;
    const swStart = this.swStart;
    const swEnd = this.swEnd;
    const bucket = this.bucket;
    // Where agent i may form a partnership of type ty this step, or -1.
    const placeFor = (i: number, ty: number): number =>
      (homeOnly & (1 << ty)) === 0 ? loc[i]! : burnIn || loc[i] === home[i] ? home[i]! : -1;
    // One pass over women records each (woman, bucket) pair and counts per bucket; the buckets
    // are then filled from that record, so each woman is visited once per step.
    const pairs = this.pairScratch;
    let nPairs = 0;
    for (let k = 0; k < women.length; k++) {
      const i = women[k]!;
      const mask = seeking[i]!;
      if (mask === 0) continue;
      for (let ty = 0; ty < STORED_TYPES; ty++) {
        if ((mask & (1 << ty)) === 0) continue;
        const place = placeFor(i, ty);
        if (place < 0) continue;
        const b = place * STORED_TYPES + ty;
        start[b]!++;
        pairs[nPairs++] = i;
        pairs[nPairs++] = b;
      }
    }
    for (let k = 0; k < this.sexWorkers.length; k++) swStart[loc[this.sexWorkers[k]!]!]!++;
    let total = 0;
    for (let b = 0; b < start.length; b++) {
      const count = start[b]!;
      start[b] = total;
      end[b] = total;
      total += count;
    }
    // Each entry carries the woman's entry step and risk, so that choosing among the women of a
    // bucket reads one small contiguous range rather than agent columns all over memory.
    const bucketEntry = this.bucketEntry;
    const bucketRisk = this.bucketRisk;
    for (let k = 0; k < nPairs; k += 2) {
      const i = pairs[k]!;
      const slot = end[pairs[k + 1]!]!++;
      bucket[slot] = i;
      bucketEntry[slot] = this.entryStep[i]!;
      bucketRisk[slot] = this.risk[i]!;
    }
    let swTotal = 0;
    for (let place = 0; place < nPlaces; place++) {
      const count = swStart[place]!;
      swStart[place] = swTotal;
      swEnd[place] = swTotal;
      swTotal += count;
    }
    const swBucket = this.swBucket;
    const sexWorkers = this.sexWorkers;
    for (let k = 0; k < sexWorkers.length; k++) {
      const i = sexWorkers[k]!;
      swBucket[swEnd[loc[i]!]!++] = i;
    }
    if (total === 0) return;

    const t = this.t;
    const ageAccept = this.ageAccept;
    const maxGap = (ageAccept.length - 1) >> 1;
    const men = this.men;
    const nextDue = this.nextDue;
    for (let k = 0; k < men.length; k++) {
      const man = men[k]!;
      const mask = seeking[man]!;
      if (mask === 0 || t < nextDue[man]!) continue;
      const manEntry = this.entryStep[man]!;
      const manRisk = this.risk[man]!;
      for (let ty = 0; ty < STORED_TYPES; ty++) {
        if ((mask & (1 << ty)) === 0) continue;
        const a = man * STORED_TYPES + ty;
        if (t < this.nextAttempt[a]!) continue;
        this.scheduleAttempt(man, ty);
        const place = placeFor(man, ty);
        if (place < 0) continue;
        const b = place * STORED_TYPES + ty;
        if (end[b] === start[b]) continue;
        for (let attempt = 1; attempt <= 3; attempt++) {
          const len = end[b]! - start[b]!;
          if (len === 0) break;
          const slot = start[b]! + Math.floor(this.u(man, Purpose.Form + ty * 8 + attempt) * len);
          const gap = bucketEntry[slot]! - manEntry;
          let accept = gap > maxGap || gap < -maxGap ? 0 : ageAccept[gap + maxGap]!;
          if (bucketRisk[slot] !== manRisk) accept *= 1 - w.assortativity;
          if (this.u(man, Purpose.Form + ty * 8 + 4 + attempt) >= accept) continue;
          const woman = bucket[slot]!;
          if (this.arePartners(man, woman)) continue;
          this.form(man, woman, ty, place);
          if ((seeking[woman]! & (1 << ty)) === 0) {
            const last = --end[b]!;
            bucket[slot] = bucket[last]!;
            bucketEntry[slot] = bucketEntry[last]!;
            bucketRisk[slot] = bucketRisk[last]!;
          }
          break;
        }
      }
    }
  }

  /** Per-act probability multiplier of the infected partner's stage and treatment. */
  private infectiousness(i: number): number {
    const tr = this.world.transmission;
    if (this.suppressed[i]) return tr.suppressedMultiplier;
    const stage = this.hiv[i];
    return stage === ACUTE ? tr.acuteMultiplier : stage === LATE ? tr.lateMultiplier : 1;
  }

  /** Per-act probability multiplier of the susceptible partner (circumcision, PrEP). */
  private susceptibility(j: number): number {
    const tr = this.world.transmission;
    let m = 1;
    if (this.circumcised[j]) m *= tr.circumcisionMultiplier;
    if (this.onPrep[j]) m *= 1 - tr.prepEfficacy * tr.prepAdherence;
    return m;
  }

  /**
   * p = 1 − (1 − βm)^(n(1−c)) · (1 − βm(1−e))^(nc): the probability that n acts, a share c of
   * them with a condom of efficacy e, transmit (DESIGN §5.3).
   */
  transmissionProbability(source: number, target: number, acts: number, condomShare: number): number {
    const tr = this.world.transmission;
    const beta = this.sex[source] === MALE ? tr.betaMaleToFemale : tr.betaFemaleToMale;
    const sti = 1 + tr.stiPrevalence * (tr.stiCofactor - 1);
    const bm = Math.min(1, beta * this.infectiousness(source) * this.susceptibility(target) * sti);
    return 1 - Math.pow(1 - bm, acts * (1 - condomShare)) * Math.pow(1 - bm * (1 - tr.condomEfficacy), acts * condomShare);
  }

  /** Acts happen only in partnerships whose two partners are both at its place this step. */
  private transmission(): void {
    const w = this.world;
    const t = this.t;
    const infected = this.infectedList;
    for (let k = 0; k < this.infectedCount; k++) {
      const i = infected[k]!;
      if (this.infStep[i] === t) continue;
      for (let node = this.head[i]!; node !== NONE; node = this.nodeNext[node]!) {
        const p = node >> 1;
        const j = node & 1 ? this.pMan[p]! : this.pWoman[p]!;
        if (this.hiv[j] !== SUSCEPTIBLE) continue;
        const place = this.pPlace[p]!;
        if (this.loc[i] !== place || this.loc[j] !== place) continue;
        const type = this.pType[p]!;
        const ty = w.types[type]!;
        const prob = this.transmissionProbability(i, j, ty.actsPerStep, ty.condomShare);
        if (this.pairU(j, i, Purpose.Transmit + type) < prob) this.transmit(i, j, place, type);
      }
    }
  }

  /** One-off contacts between clients and sex workers present at the same place. */
  private commercialContacts(): void {
    const w = this.world;
    const cm = w.commercial;
    const clients = this.clients;
    for (let k = 0; k < clients.length; k++) {
      const man = clients[k]!;
      const place = this.loc[man]!;
      const sws = this.swEnd[place]! - this.swStart[place]!;
      if (sws === 0) continue;
      if (this.u(man, Purpose.Commercial) >= w.profiles[this.profile[man]!]!.commercialProbPerStep) continue;
      const sw = this.swBucket[this.swStart[place]! + Math.floor(this.u(man, Purpose.CommercialPick) * sws)]!;
      this.outputs.commercialContacts++;
      const manInfected = this.hiv[man] !== SUSCEPTIBLE && this.infStep[man] !== this.t;
      const swInfected = this.hiv[sw] !== SUSCEPTIBLE && this.infStep[sw] !== this.t;
      if (manInfected === swInfected) continue;
      const [source, target] = manInfected ? [man, sw] : [sw, man];
      const prob = this.transmissionProbability(source, target, cm.actsPerContact, cm.condomShare);
      if (this.u(man, Purpose.CommercialTransmit) < prob) this.transmit(source, target, place, COMMERCIAL);
    }
  }

  private transmit(source: number, target: number, place: number, type: number): void {
    const away = place !== this.home[target];
    this.infect(target, place, away);
    this.outputs.recordInfection(this, source, target, place, type);
  }
}

