/**
 * One subscriber's bounded queue of published changes, read as an async iterator by its transport. A subscriber that
 * falls behind by more than the limit is not buffered further: its queue is dropped and it reads one
 * {@link ResyncNeeded} (with the last feed position it is in step with) and then the end.
 */
import type { CommittedChange } from '../data/change';
import type { Event } from '../data/dataset';

/** What the live stream carries: a committed change, and for an event the store's record before and after it, for filters. */
export interface PublishedChange {
  change: CommittedChange;
  /** For an event: as the store had it before the change (null when it did not exist); absent for other records. */
  eventBefore?: Event | null;
  /** For an event: as the store has it after the change; absent for other records. */
  eventAfter?: Event | null;
}

/** The last item a subscriber reads when it fell behind: resume the change feed after `lastSeq`. */
export class ResyncNeeded {
  constructor(
    /** Every change up to this seq was delivered to the subscriber or did not match its filter; 0 before the first change. */
    readonly lastSeq: number,
    /** The queue limit it went over. */
    readonly queueLimit: number,
  ) {}
}

/** How a queue is made. */
export interface SubscriberQueueOptions<T extends PublishedChange> {
  /** Most changes waiting for the subscriber; one more ends it with {@link ResyncNeeded}. At least 1. */
  limit: number;
  /** Whether the subscriber wants this change (its filter); changes it does not want still move its position on. */
  accepts(item: T): boolean;
  /** The feed position the subscriber starts at (the last seq published before it subscribed). */
  startSeq: number;
  /** Called once when the queue ends, however it ends (read to the end, returned, overflowed, or ended by the hub). */
  onEnd?(): void;
}

/** A queued change and the feed position the subscriber reaches once it has read it (later unwanted changes included). */
interface Entry<T> {
  item: T;
  upTo: number;
}

type State = 'open' | 'ending' | 'resync' | 'done';

/** A bounded queue that is its own async iterator; see the file comment. */
export class SubscriberQueue<T extends PublishedChange> implements AsyncIterableIterator<T | ResyncNeeded> {
  private entries: (Entry<T> | undefined)[] = [];
  private head = 0;
  private state: State = 'open';
  private waiting: ((result: IteratorResult<T | ResyncNeeded>) => void) | null = null;
  private position: number;
  private ended = false;
  /** A reader that polls (see {@link watch}), told whenever a read would no longer wait. */
  private listener: (() => void) | null = null;
  /** The polling reader was handed a change of the batch being published; the rest wait for {@link wake}. */
  private handedOff = false;

  constructor(private readonly options: SubscriberQueueOptions<T>) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`queue limit must be a whole number of at least 1, got ${options.limit}`);
    this.position = options.startSeq;
  }

  /** Changes waiting to be read. */
  get length(): number {
    return this.entries.length - this.head;
  }

  /** The last feed position the subscriber is in step with (see {@link ResyncNeeded.lastSeq}). */
  get lastSeq(): number {
    return this.position;
  }

  /** Whether the queue still takes changes. */
  get open(): boolean {
    return this.state === 'open';
  }

  /** Offers a published change; returns false once the queue no longer takes changes (ended or overflowed). */
  offer(item: T): boolean {
    if (this.state !== 'open') return false;
    const seq = item.change.seq;
    if (!this.wants(item)) {
      // Nothing waiting: the subscriber is in step up to here. Otherwise it will be once it reads the last entry.
      if (this.length === 0) this.position = seq;
      else this.entries[this.entries.length - 1]!.upTo = seq;
      return true;
    }
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      this.position = seq;
      resolve({ value: item, done: false });
      return true;
    }
    if (this.length >= this.options.limit) {
      this.clear();
      this.state = 'resync';
      this.finish();
      this.listener?.();
      return false;
    }
    this.entries.push({ item, upTo: seq });
    // As a reader waiting in next() takes the first change at once and comes back for more after the batch.
    if (this.listener && !this.handedOff && this.length === 1) {
      this.handedOff = true;
      this.listener();
    }
    return true;
  }

  /** The batch being published is done: a polling reader reads what queued meanwhile. */
  wake(): void {
    this.handedOff = false;
    if (this.listener && this.length > 0) this.listener();
  }

  /**
   * For a reader that takes changes synchronously with {@link poll} (a transport writing each change as it comes):
   * `listener` is called, synchronously, so it can poll again: for the first change of a published batch, for the
   * rest once the batch is published ({@link wake}), and when the queue ends. A batch larger than the queue thus ends
   * it with RESYNC, as it does for a reader of next().
   */
  watch(listener: () => void): void {
    this.listener = listener;
  }

  /** Ends the queue after what is already waiting has been read (a server stopping lets subscribers catch up). */
  end(): void {
    if (this.state !== 'open') return;
    this.state = 'ending';
    this.finish();
    if (this.length === 0) this.settle();
    this.listener?.();
  }

  /** What {@link next} would give at once: the next change, the RESYNC notice or the end; undefined when it would wait. */
  poll(): IteratorResult<T | ResyncNeeded> | undefined {
    const entry = this.shift();
    if (entry) {
      this.position = entry.upTo;
      return { value: entry.item, done: false };
    }
    if (this.state === 'resync') {
      this.state = 'done';
      return { value: new ResyncNeeded(this.position, this.options.limit), done: false };
    }
    if (this.state !== 'open') {
      this.state = 'done';
      return { value: undefined, done: true };
    }
    return undefined;
  }

  next(): Promise<IteratorResult<T | ResyncNeeded>> {
    const ready = this.poll();
    if (ready) return Promise.resolve(ready);
    // One reader at a time, as `for await` reads; a second concurrent reader replaces the first's wait.
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Stops reading (the client went away or completed): drops what is waiting. */
  return(): Promise<IteratorResult<T | ResyncNeeded>> {
    this.clear();
    this.state = 'done';
    this.finish();
    this.settle();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T | ResyncNeeded>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The filter's answer; a filter that throws lets the change through, so that nothing is lost silently. */
  private wants(item: T): boolean {
    try {
      return this.options.accepts(item);
    } catch {
      return true;
    }
  }

  private shift(): Entry<T> | undefined {
    if (this.head >= this.entries.length) return undefined;
    const entry = this.entries[this.head];
    this.entries[this.head++] = undefined;
    // Compact once the read part is the larger half, so the array never holds more than twice the limit.
    if (this.head > 32 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  private clear(): void {
    this.entries = [];
    this.head = 0;
  }

  /** A reader waiting on an empty queue learns it ended. */
  private settle(): void {
    if (!this.waiting) return;
    const resolve = this.waiting;
    this.waiting = null;
    if (this.state === 'ending') this.state = 'done';
    resolve({ value: undefined, done: true });
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onEnd?.();
  }
}
