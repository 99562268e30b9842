const NONE = -1;

/**
 * A calendar of future events by step: a ring of doubly linked lists indexed by step modulo its
 * size. Each id (an agent, a partnership) is filed under at most one step, can be moved or taken
 * out in constant time, and a step's events are found without scanning every id. An id filed
 * further ahead than the ring's size is seen early, at an aliased step; callers check the step.
 */
export class Calendar {
  private readonly heads: Int32Array;
  private readonly mask: number;
  private next: Int32Array;
  private prev: Int32Array;
  private slot: Int32Array;

  constructor(span: number, capacity: number) {
    let size = 2;
    while (size <= span) size *= 2;
    this.heads = new Int32Array(size).fill(NONE);
    this.mask = size - 1;
    this.next = new Int32Array(capacity).fill(NONE);
    this.prev = new Int32Array(capacity).fill(NONE);
    this.slot = new Int32Array(capacity).fill(NONE);
  }

  /** Makes room for ids below `capacity`. */
  grow(capacity: number): void {
    const extend = (a: Int32Array) => {
      const b = new Int32Array(capacity).fill(NONE);
      b.set(a);
      return b;
    };
    this.next = extend(this.next);
    this.prev = extend(this.prev);
    this.slot = extend(this.slot);
  }

  /** Files `id` under `step`, taking it from wherever it was. */
  file(id: number, step: number): void {
    this.remove(id);
    const s = step & this.mask;
    const head = this.heads[s]!;
    this.next[id] = head;
    this.prev[id] = NONE;
    if (head !== NONE) this.prev[head] = id;
    this.heads[s] = id;
    this.slot[id] = s;
  }

  /** Takes `id` out of the calendar (nothing happens if it is not filed). */
  remove(id: number): void {
    const s = this.slot[id]!;
    if (s === NONE) return;
    const prev = this.prev[id]!;
    const next = this.next[id]!;
    if (prev !== NONE) this.next[prev] = next;
    else this.heads[s] = next;
    if (next !== NONE) this.prev[next] = prev;
    this.slot[id] = NONE;
    this.next[id] = NONE;
    this.prev[id] = NONE;
  }

  /** The first id filed under `step`'s slot, or -1; walk on with `after`. */
  first(step: number): number {
    return this.heads[step & this.mask]!;
  }

  /** The id after `id` in its slot, or -1. Read it before acting on `id`, which may move it. */
  after(id: number): number {
    return this.next[id]!;
  }
}
