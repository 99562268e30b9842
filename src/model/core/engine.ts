import { draw, exponential, geometricSteps, Purpose, PURPOSES, stepKey, streamKey, weibull } from './rng.js';
import { ACUTE, CHRONIC, COMMERCIAL, FEMALE, LATE, MALE, RISKS, STORED_TYPES, SUSCEPTIBLE, type World } from './world.js';
import { Calendar } from './calendar.js';
import { Outputs } from './outputs.js';

const NONE = -1;
/** Fields of a partnership record. */
const P_MAN = 0;
const P_TYPE = 2;
const P_PLACE = 3;
const P_END = 4;
/** Next node of side 0 (the man's list) at P_NEXT, of side 1 at P_NEXT + 1. */
const P_NEXT = 5;
const P_FIELDS = 8;

/**
 * The agent-based network model (DESIGN §5). Agent state is columns of typed arrays indexed by
 * agent slot; partnerships are parallel arrays with a free list, linked to both partners through
 * per-agent lists. Pure: no I/O, no clock, randomness only from the counter-based streams.
 */
export class Simulation {
  private readonly world: World;
  readonly n: number;
  readonly outputs: Outputs;
  /** The current step; negative during burn-in. */
  t: number;

  // --- agents (one slot each; a slot is reborn as a new agent when its agent exits) ---
  // Columns are private; the public ones are read and set by the engine's tests (test/model).
  // The outputs get read-only views of the columns they count through `AgentColumns`.
  readonly uid: Int32Array;
  private readonly profile: Uint16Array;
  private readonly group: Uint16Array;
  readonly home: Uint16Array;
  readonly sex: Uint8Array;
  private readonly risk: Uint8Array;
  private readonly sexWorker: Uint8Array;
  private readonly pattern: Int16Array;
  readonly loc: Uint16Array;
  /** Step at which the agent was (or would have been) at the minimum age, so age = minAge + (t - entryStep) * dt. */
  private readonly entryStep: Int32Array;
  /** Step at which the agent leaves for reasons other than HIV (ageing out or background death). */
  readonly exitStep: Int32Array;
  private readonly exitIsDeath: Uint8Array;
  private readonly mobilityOffset: Int32Array;
  private readonly returned: Uint8Array;
  readonly hiv: Uint8Array;
  readonly infStep: Int32Array;
  /** Years since infection, not counting time on ART (ART halts progression). */
  readonly hivClock: Float64Array;
  readonly survival: Float64Array;
  private readonly infPlace: Uint16Array;
  /**
   * Agents living with HIV as a bitset over slots: transmission and natural history visit only
   * them, in slot order, so that their columns are read front to back.
   */
  private readonly infectedBits: Uint32Array;
  private readonly acquiredAway: Uint8Array;
  private readonly diagnosed: Uint8Array;
  readonly onArt: Uint8Array;
  private readonly artStart: Int32Array;
  readonly suppressed: Uint8Array;
  readonly circumcised: Uint8Array;
  readonly onPrep: Uint8Array;
  /** Concurrent partnerships by type: [agent * STORED_TYPES + type]. */
  readonly partnerCount: Uint8Array;
  /** First node of the agent's partnership list; node = 2 * partnership + side. */
  private readonly head: Int32Array;

  // --- partnerships ---
  private capacity: number;
  /**
   * Partnership records, P_FIELDS integers each, so that one visit reads one cache line: the two
   * partners, type, place, end step and, for each partner's side, the next node of that partner's
   * list. Node `2p + side` stands for partnership p in the list of its man (side 0) or woman (1).
   */
  private pr: Int32Array;
  private freeList: Int32Array;
  private freeTop: number;
  activePartnerships = 0;
  /** Partnerships filed under their end step. */
  private readonly ends: Calendar;

  /** Random stream key of each agent (from its unique id). */
  private readonly key: Int32Array;
  /** Keys of this step's draw purposes. */
  private readonly stepKeys = new Int32Array(PURPOSES);
  /** Target partners by type for each slot, [agent * STORED_TYPES + type] (fixed by the slot's profile). */
  private readonly target: Uint8Array;
  /** Bit `type` set while the agent has fewer partners of that type than its target. */
  private readonly seeking: Uint8Array;
  /**
   * Step of a seeking man's next attempt to form each type, [agent * STORED_TYPES + type]: a
   * geometric waiting time drawn when he starts seeking, equivalent to a Bernoulli trial per step
   * (memoryless) but without a draw per man per step.
   */
  private readonly nextAttempt: Int32Array;
  /** The earliest of a man's next attempts: the formation scan passes him by until then. */
  private readonly nextDue: Int32Array;
  private readonly men: Int32Array;
  /** Agents filed under their exit step. */
  private readonly exits: Calendar;
  private readonly clients: Int32Array;
  /** Output cell of each slot: (home place × group) × sex, fixed for the slot's life. */
  private readonly cell: Int32Array;
  private readonly mobile: Int32Array;
  /**
   * For each pattern and day of its cycle, how many days from that day the place stays the same
   * (capped): a step that lies within one stretch needs no random day.
   */
  private readonly sameFor: Uint16Array[];
  /** Bit `type` set for types that a partner's leaving may end (endOnLeave > 0). */
  private readonly endsOnLeave: number;
  /** Bit `type` set for types that form only at both partners' home (marital). */
  private readonly homeOnly: number;
  /**
   * Women seeking each type where they can form it now, one bucket per (place, type), kept up to
   * date as women start or stop seeking and move. Each entry carries the woman's entry step and
   * risk, so that choosing among a bucket's women reads one contiguous range.
   */
  private readonly bucketIds: Int32Array[];
  private readonly bucketEntry: Int32Array[];
  private readonly bucketRisk: Uint8Array[];
  private readonly bucketLen: Int32Array;
  /** The bucket of [woman * STORED_TYPES + type], or -1, and her position in it. */
  private readonly womanBucket: Int32Array;
  private readonly womanPos: Int32Array;
  /**
   * Probability that a man accepts a woman by their age gap: a Gaussian around the preferred gap
   * (men older), tabulated by the gap in steps (entry steps differ by whole steps).
   */
  private readonly ageAccept: Float64Array;
  /** Sex workers by place (residents, so fixed): swBucket[swStart[place] .. swStart[place + 1]). */
  private readonly swStart: Int32Array;
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
    this.infectedBits = new Uint32Array((n + 31) >>> 5);
    this.acquiredAway = new Uint8Array(n);
    this.diagnosed = new Uint8Array(n);
    this.onArt = new Uint8Array(n);
    this.artStart = new Int32Array(n);
    this.suppressed = new Uint8Array(n);
    this.circumcised = new Uint8Array(n);
    this.onPrep = new Uint8Array(n);
    this.partnerCount = new Uint8Array(n * STORED_TYPES);
    this.head = new Int32Array(n).fill(NONE);

    this.capacity = Math.max(16, Math.ceil(n / 2));
    this.pr = new Int32Array(this.capacity * P_FIELDS);
    this.freeList = new Int32Array(this.capacity);
    for (let k = 0; k < this.capacity; k++) this.freeList[k] = this.capacity - 1 - k;
    this.freeTop = this.capacity;
    // About 80 years of weekly steps: longer partnerships are seen early and checked.
    this.ends = new Calendar(4096, this.capacity);

    const buckets = world.nPlaces * STORED_TYPES;
    this.bucketIds = Array.from({ length: buckets }, () => new Int32Array(16));
    this.bucketEntry = Array.from({ length: buckets }, () => new Int32Array(16));
    this.bucketRisk = Array.from({ length: buckets }, () => new Uint8Array(16));
    this.bucketLen = new Int32Array(buckets);
    this.womanBucket = new Int32Array(n * STORED_TYPES).fill(NONE);
    this.womanPos = new Int32Array(n * STORED_TYPES);
    let homeOnly = 0;
    world.types.forEach((ty, k) => (homeOnly |= ty.atHomeOnly ? 1 << k : 0));
    this.homeOnly = homeOnly;
    let endsOnLeave = 0;
    world.types.forEach((ty, k) => (endsOnLeave |= ty.endOnLeave > 0 ? 1 << k : 0));
    this.endsOnLeave = endsOnLeave;
    this.sameFor = world.patterns.map(({ schedule }) => {
      const len = schedule.length;
      const same = new Uint16Array(len);
      for (let d = len - 1, k = 0; k < 2 * len; k++, d = (d - 1 + len) % len) {
        const nextDay = (d + 1) % len;
        same[d] = schedule[nextDay] === schedule[d] ? Math.min(1000, same[nextDay]! + 1) : 1;
      }
      return same;
    });

    this.cell = new Int32Array(n);
    // The outputs read these columns through read-only views; they never see the Simulation.
    this.outputs = new Outputs(world, {
      n,
      cell: this.cell,
      home: this.home,
      group: this.group,
      hiv: this.hiv,
      acquiredAway: this.acquiredAway,
      diagnosed: this.diagnosed,
      onArt: this.onArt,
      suppressed: this.suppressed,
    });
    this.key = new Int32Array(n);
    this.target = new Uint8Array(n * STORED_TYPES);
    this.seeking = new Uint8Array(n);
    // Longer than any life span in steps, so an exit is never seen early.
    this.exits = new Calendar(Math.ceil((world.maxAge - world.minAge) / world.dt) + 2, n);
    this.nextAttempt = new Int32Array(n * STORED_TYPES);
    this.nextDue = new Int32Array(n);

    this.t = -world.burnInSteps;
    this.tabulateStepKeys();
    const clients: number[] = [];
    const men: number[] = [];

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
        if (p.sex === MALE) men.push(i);
        if (p.sex === MALE && p.commercialProbPerStep > 0) clients.push(i);
        this.initAgent(i, true);
      }
    });
    this.mobile = Int32Array.from(mobile);
    const maxGap = Math.ceil((world.maxAge - world.minAge) / world.dt) + 1;
    this.ageAccept = new Float64Array(2 * maxGap + 1);
    for (let g = -maxGap; g <= maxGap; g++) {
      const z = g * world.dt - world.ageGapMean;
      this.ageAccept[g + maxGap] = Math.exp(-(z * z) / (2 * world.ageGapSd * world.ageGapSd));
    }
    this.clients = Int32Array.from(clients);
    this.men = Int32Array.from(men);
    this.swStart = new Int32Array(world.nPlaces + 1);
    for (let k = 0; k < n; k++) if (this.sexWorker[k]) this.swStart[this.home[k]! + 1]!++;
    for (let place = 0; place < world.nPlaces; place++) this.swStart[place + 1]! += this.swStart[place]!;
    this.swBucket = new Int32Array(this.swStart[world.nPlaces]!);
    const fill = this.swStart.slice(0, world.nPlaces);
    for (let k = 0; k < n; k++) if (this.sexWorker[k]) this.swBucket[fill[this.home[k]!]!++] = k;
    for (const m of this.mobile) {
      this.loc[m] = this.whereIs(m, this.t);
      if (this.sex[m] === FEMALE) this.syncWoman(m);
    }
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
    if (this.sex[i] === FEMALE) {
      if (mask !== before) this.syncWoman(i);
      return;
    }
    const added = mask & ~before;
    for (let ty = 0; ty < STORED_TYPES; ty++) if (added & (1 << ty)) this.scheduleAttempt(i, ty);
  }

  /** Where agent i may form a partnership of type ty this step, or -1. */
  private placeFor(i: number, ty: number): number {
    if ((this.homeOnly & (1 << ty)) === 0) return this.loc[i]!;
    // During burn-in everyone counts as at home for marital partnerships, as if the couples had
    // formed over the years before step 0.
    return this.t < 0 || this.loc[i] === this.home[i] ? this.home[i]! : NONE;
  }

  /** Puts woman i in the buckets where she seeks now, with her current entry step and risk. */
  private syncWoman(i: number): void {
    const mask = this.seeking[i]!;
    for (let ty = 0; ty < STORED_TYPES; ty++) {
      const k = i * STORED_TYPES + ty;
      const place = mask & (1 << ty) ? this.placeFor(i, ty) : NONE;
      const want = place === NONE ? NONE : place * STORED_TYPES + ty;
      const have = this.womanBucket[k]!;
      if (have === want) {
        if (want !== NONE) this.bucketEntry[want]![this.womanPos[k]!] = this.entryStep[i]!;
        continue;
      }
      if (have !== NONE) this.bucketRemove(have, this.womanPos[k]!);
      this.womanBucket[k] = want;
      if (want === NONE) continue;
      let len = this.bucketLen[want]!;
      if (len === this.bucketIds[want]!.length) {
        const grow = <T extends Int32Array | Uint8Array>(a: T): T => {
          const b = new (a.constructor as new (size: number) => T)(a.length * 2);
          b.set(a);
          return b;
        };
        this.bucketIds[want] = grow(this.bucketIds[want]!);
        this.bucketEntry[want] = grow(this.bucketEntry[want]!);
        this.bucketRisk[want] = grow(this.bucketRisk[want]!);
      }
      this.bucketIds[want]![len] = i;
      this.bucketEntry[want]![len] = this.entryStep[i]!;
      this.bucketRisk[want]![len] = this.risk[i]!;
      this.womanPos[k] = len++;
      this.bucketLen[want] = len;
    }
  }

  /** Removes the entry at `pos` of bucket b, moving the last entry into its place. */
  private bucketRemove(b: number, pos: number): void {
    const ids = this.bucketIds[b]!;
    const last = --this.bucketLen[b]!;
    const moved = ids[last]!;
    ids[pos] = moved;
    this.bucketEntry[b]![pos] = this.bucketEntry[b]![last]!;
    this.bucketRisk[b]![pos] = this.bucketRisk[b]![last]!;
    this.womanPos[moved * STORED_TYPES + (b % STORED_TYPES)] = pos;
  }

  /** Draws the step of the next formation attempt of type ty (at least the next step). */
  private scheduleAttempt(i: number, ty: number): void {
    const p = this.world.types[ty]!.formationProbPerStep;
    const wait = p <= 0 ? 2 ** 30 : geometricSteps(this.u(i, Purpose.FormSchedule + ty), 1 / p);
    this.nextAttempt[i * STORED_TYPES + ty] = Math.min(2 ** 30, this.t + wait);
    this.updateDue(i);
  }

  /** Sets man i's earliest attempt over the types he seeks. */
  private updateDue(i: number): void {
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
    this.exits.file(i, this.exitStep[i]!);
    this.loc[i] = p.home;
    this.returned[i] = 0;
    this.mobilityOffset[i] = p.pattern >= 0 ? this.offsetFor(i, w.patterns[p.pattern]!.synchronized, w.patterns[p.pattern]!) : 0;
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
    let first = (Math.floor(t * w.stepDays) + this.mobilityOffset[i]!) % len;
    if (first < 0) first += len;
    // The whole step within one stretch of the cycle: no need to draw the day.
    if (this.sameFor[this.pattern[i]!]![first]! >= w.stepDays) return pat.schedule[first]!;
    return pat.schedule[(first + Math.floor(this.u(i, Purpose.MobilityDay) * w.stepDays)) % len]!;
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
    this.infectedBits[i >>> 5]! |= 1 << (i & 31);
  }

  // ---------------------------------------------------------------- partnerships

  private grow(): void {
    const old = this.capacity;
    const cap = old * 2;
    const resize = (a: Int32Array, size: number): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.pr = resize(this.pr, cap * P_FIELDS);
    this.ends.grow(cap);
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
    const r = p * P_FIELDS;
    const pr = this.pr;
    pr[r + P_MAN] = man;
    pr[r + P_MAN + 1] = woman;
    pr[r + P_TYPE] = type;
    pr[r + P_PLACE] = place;
    // Geometric duration in whole steps with the input's mean (an exponential rounded up would
    // add half a step to every partnership).
    pr[r + P_END] = this.t + geometricSteps(this.u(man, Purpose.Duration + type), ty.meanDurationSteps);
    pr[r + P_NEXT] = this.head[man]!;
    this.head[man] = 2 * p;
    pr[r + P_NEXT + 1] = this.head[woman]!;
    this.head[woman] = 2 * p + 1;
    this.partnerCount[man * STORED_TYPES + type]!++;
    this.partnerCount[woman * STORED_TYPES + type]!++;
    this.updateSeeking(man);
    this.updateSeeking(woman);
    this.ends.file(p, pr[r + P_END]!);
    this.activePartnerships++;
  }

  /** The node after `node` in its agent's list. */
  private nextNode(node: number): number {
    return this.pr[(node >> 1) * P_FIELDS + P_NEXT + (node & 1)]!;
  }

  private unlink(agent: number, node: number): void {
    let prev = NONE;
    let cur = this.head[agent]!;
    while (cur !== node) {
      prev = cur;
      cur = this.nextNode(cur);
    }
    const after = this.nextNode(cur);
    if (prev === NONE) this.head[agent] = after;
    else this.pr[(prev >> 1) * P_FIELDS + P_NEXT + (prev & 1)] = after;
  }

  private dissolve(p: number): void {
    const r = p * P_FIELDS;
    const man = this.pr[r + P_MAN]!;
    const woman = this.pr[r + P_MAN + 1]!;
    const type = this.pr[r + P_TYPE]!;
    this.unlink(man, 2 * p);
    this.unlink(woman, 2 * p + 1);
    this.partnerCount[man * STORED_TYPES + type]!--;
    this.partnerCount[woman * STORED_TYPES + type]!--;
    this.updateSeeking(man);
    this.updateSeeking(woman);
    this.freeList[this.freeTop++] = p;
    this.ends.remove(p);
    this.activePartnerships--;
  }

  private dissolveAllOf(i: number): void {
    while (this.head[i] !== NONE) this.dissolve(this.head[i]! >> 1);
  }

  private arePartners(a: number, b: number): boolean {
    // The partner of node n sits on the other side of its record.
    for (let node = this.head[a]!; node !== NONE; node = this.nextNode(node)) {
      if (this.pr[(node >> 1) * P_FIELDS + P_MAN + 1 - (node & 1)] === b) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- the step

  /** Advances the model by one step. */
  step(): void {
    // Burn-in builds the partnership network; the epidemic and demography wait for step 0.
    const running = this.t >= 0;
    if (this.t === 0) {
      // Burn-in is over: marital partnerships now form only where both partners are at home.
      for (const m of this.mobile) if (this.sex[m] === FEMALE) this.syncWoman(m);
    }
    if (running) this.demography();
    this.mobility();
    this.dissolution();
    this.formation();
    if (running) {
      this.commercialContacts();
      this.transmission();
      this.outputs.endStep(this.t);
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
    const t = this.t;
    const out = this.outputs;
    // Exits due this step, from the exit calendar.
    for (let i = this.exits.first(t); i !== NONE;) {
      const next = this.exits.after(i);
      if (this.exitStep[i] === t) {
        out.recordExit(this.t, i, this.exitIsDeath[i] ? 'death' : 'ageing');
        this.replace(i);
      }
      i = next;
    }
    // Natural history and care of people living with HIV (each word of the bitset is read before
    // its agents are visited, so a death within it does not disturb the walk).
    const bits = this.infectedBits;
    for (let word = 0; word < bits.length; word++) {
      for (let set = bits[word]!; set !== 0; set &= set - 1) this.careStep((word << 5) | (31 - Math.clz32(set & -set)));
    }
  }

  /** One step of natural history and care for agent i, who lives with HIV. */
  private careStep(i: number): void {
    const w = this.world;
    const t = this.t;
    const dt = w.dt;
    const h = w.history;
    const c = w.care;
    // Natural history: time on ART does not count towards progression.
    if (!this.onArt[i]) {
      const clock = (this.hivClock[i] = this.hivClock[i]! + dt);
      if (clock >= this.survival[i]!) {
        this.outputs.recordExit(this.t, i, 'hiv');
        this.replace(i);
        return;
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

  private startArt(i: number): void {
    this.onArt[i] = 1;
    this.suppressed[i] = 0;
    this.artStart[i] = this.t;
  }

  /** Ends the agent in slot i and puts a new entrant of the same block in its place. */
  private replace(i: number): void {
    this.dissolveAllOf(i);
    this.infectedBits[i >>> 5]! &= ~(1 << (i & 31));
    // The slot's next generation: a new agent's streams depend on its slot only, not on how many
    // agents left before it anywhere, so a change elsewhere leaves its draws alone (DESIGN §5.5).
    this.uid[i] = this.uid[i]! + this.n;
    this.key[i] = streamKey(this.world.seed, this.uid[i]!);
    this.initAgent(i, false);
    if (this.pattern[i]! >= 0) {
      this.loc[i] = this.whereIs(i, this.t);
      if (this.sex[i] === FEMALE) this.syncWoman(i);
    }
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
      if (this.sex[i] === FEMALE) this.syncWoman(i);
      // Only partnerships of a type that leaving may end need looking at.
      let mayEnd = false;
      for (let ty = 0; ty < STORED_TYPES; ty++) {
        if (this.endsOnLeave & (1 << ty) && this.partnerCount[i * STORED_TYPES + ty]! > 0) mayEnd = true;
      }
      if (!mayEnd) continue;
      let node = this.head[i]!;
      while (node !== NONE) {
        const next = this.nextNode(node);
        const p = node >> 1;
        const r = p * P_FIELDS;
        if (this.pr[r + P_PLACE] === from) {
          const endOnLeave = w.types[this.pr[r + P_TYPE]!]!.endOnLeave;
          const partner = this.pr[r + P_MAN + 1 - (node & 1)]!;
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
    for (let p = this.ends.first(t); p !== NONE;) {
      const next = this.ends.after(p);
      if (this.pr[p * P_FIELDS + P_END] === t) this.dissolve(p);
      p = next;
    }
  }

  /**
   * Matches men and women present at the same place who seek a partnership of the same type,
   * with an age preference (men older) and assortativity by risk group.
   */
  private formation(): void {
    const w = this.world;
    const t = this.t;
    const seeking = this.seeking;
    const ageAccept = this.ageAccept;
    const maxGap = (ageAccept.length - 1) >> 1;
    const men = this.men;
    const nextDue = this.nextDue;
    for (let k = 0; k < men.length; k++) {
      const man = men[k]!;
      // A man who seeks nothing has no attempt due (updateDue leaves him at 2^30).
      if (nextDue[man]! > t) continue;
      const mask = seeking[man]!;
      const manEntry = this.entryStep[man]!;
      const manRisk = this.risk[man]!;
      for (let ty = 0; ty < STORED_TYPES; ty++) {
        if ((mask & (1 << ty)) === 0 || this.nextAttempt[man * STORED_TYPES + ty]! > t) continue;
        this.scheduleAttempt(man, ty);
        const place = this.placeFor(man, ty);
        if (place === NONE) continue;
        const b = place * STORED_TYPES + ty;
        for (let attempt = 1; attempt <= 3; attempt++) {
          const len = this.bucketLen[b]!;
          if (len === 0) break;
          const slot = Math.floor(this.u(man, Purpose.Form + ty * 8 + attempt) * len);
          const gap = this.bucketEntry[b]![slot]! - manEntry;
          let accept = gap > maxGap || gap < -maxGap ? 0 : ageAccept[gap + maxGap]!;
          if (this.bucketRisk[b]![slot] !== manRisk) accept *= 1 - w.assortativity;
          if (this.u(man, Purpose.Form + ty * 8 + 4 + attempt) >= accept) continue;
          const woman = this.bucketIds[b]![slot]!;
          if (this.arePartners(man, woman)) continue;
          this.form(man, woman, ty, place);
          break;
        }
      }
      // His earliest attempt may have been of a type he no longer seeks.
      if (nextDue[man]! <= t) this.updateDue(man);
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
    const bits = this.infectedBits;
    for (let word = 0; word < bits.length; word++) {
      for (let set = bits[word]!; set !== 0; set &= set - 1) {
        this.transmitFrom((word << 5) | (31 - Math.clz32(set & -set)));
      }
    }
  }

  /** Transmission from agent i, who lives with HIV, to co-located susceptible partners. */
  private transmitFrom(i: number): void {
    const w = this.world;
    const t = this.t;
    if (this.infStep[i] === t) return;
    const pr = this.pr;
    for (let node = this.head[i]!; node !== NONE;) {
      const r = (node >> 1) * P_FIELDS;
      const j = pr[r + P_MAN + 1 - (node & 1)]!;
      const place = pr[r + P_PLACE]!;
      const type = pr[r + P_TYPE]!;
      node = pr[r + P_NEXT + (node & 1)]!;
      if (this.hiv[j] !== SUSCEPTIBLE) continue;
      if (this.loc[i] !== place || this.loc[j] !== place) continue;
      const ty = w.types[type]!;
      const prob = this.transmissionProbability(i, j, ty.actsPerStep, ty.condomShare);
      if (this.pairU(j, i, Purpose.Transmit + type) < prob) this.transmit(i, j, place, type);
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
      const sws = this.swStart[place + 1]! - this.swStart[place]!;
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
    this.outputs.recordInfection(this.t, source, target, place, type);
  }
}
