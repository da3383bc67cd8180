/**
 * A list that keeps its first `head` items and its last `tail` items and only counts those
 * between: what something that can go on for as long as its source does (a client retrying
 * for hours, a transfer of thousands of packets) keeps of it.
 */
export interface HeadAndTailLimits {
  readonly head: number;
  readonly tail: number;
}

export class HeadAndTail<T> {
  private readonly first: T[] = [];
  /** A ring of the last items once the head is full. */
  private readonly ring: T[] = [];
  private next = 0;
  private added = 0;

  constructor(private readonly limits: HeadAndTailLimits) {}

  /** Items added so far, kept or not. */
  get count(): number {
    return this.added;
  }

  add(item: T): void {
    this.added++;
    if (this.first.length < this.limits.head) {
      this.first.push(item);
    } else if (this.limits.tail > 0) {
      if (this.ring.length < this.limits.tail) this.ring.push(item);
      else this.ring[this.next] = item;
      this.next = (this.next + 1) % this.limits.tail;
    }
  }

  /** The first items kept, in order. */
  head(): T[] {
    return [...this.first];
  }

  /** The last items kept, in order. */
  tail(): T[] {
    return this.ring.length < this.limits.tail
      ? [...this.ring]
      : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  /** Items counted and not kept. */
  get omitted(): number {
    return this.added - this.first.length - this.ring.length;
  }

  /** Every item kept, in order. */
  kept(): T[] {
    return [...this.first, ...this.tail()];
  }
}
