/**
 * The stream of committed changes that live subscribers follow. The storage listener publishes each batch of changes
 * once it is applied to the store; every subscriber gets the ones its filter accepts through its own bounded queue
 * (`subscriber-queue.ts`), so one slow client costs at most its queue limit and never holds up the others.
 * Changes are handed out at most once per `fanOutEveryMs`, together: what a client is sent costs one write to its
 * socket however many changes it carries, so under a steady stream of changes the writes grow with the number of
 * subscribers, not with subscribers times changes.
 */
import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import { SubscriberQueue, type PublishedChange } from './subscriber-queue';

/** Default most changes waiting for one subscriber (setting LIVE_QUEUE_LIMIT). */
export const DEFAULT_QUEUE_LIMIT = 1000;

/**
 * Default least time between two fan-outs, in ms: a change after a quiet spell goes out at once; changes that follow
 * within this time wait for it and go out together. It adds at most this much to a change's delivery time.
 */
export const DEFAULT_FAN_OUT_EVERY_MS = 25;

/** The one topic: every committed change, in `seq` order. */
const TOPIC = 'change';

/** How the stream starts. */
export interface LiveChangesOptions {
  /** Most changes waiting for one subscriber; default {@link DEFAULT_QUEUE_LIMIT}. */
  queueLimit?: number;
  /** The seq of the last change committed before this process started publishing (0 for an empty feed). */
  lastSeq?: number;
  /** Least time between two fan-outs in ms; default {@link DEFAULT_FAN_OUT_EVERY_MS}; 0 hands out each publish at once. */
  fanOutEveryMs?: number;
}

/** What a subscriber asks for. */
export interface SubscribeOptions<T extends PublishedChange> {
  /** The subscriber's filter: whether it wants this change. Must not throw. */
  accepts(item: T): boolean;
  /** Overrides the stream's queue limit for this subscriber. */
  queueLimit?: number;
}

/** Publishes committed changes to any number of subscribers, each with a bounded queue. */
export class LiveChanges<T extends PublishedChange = PublishedChange> {
  /** createPubSub carries the publishing (one in-memory topic); the fan-out to bounded queues is ours (see README). */
  private readonly pubSub: PubSub<{ [TOPIC]: [T] }>;
  private readonly queues = new Set<SubscriberQueue<T>>();
  private readonly queueLimit: number;
  private readonly fanOutEveryMs: number;
  /** The last seq published, and the last handed out to the queues (behind it while changes wait for a fan-out). */
  private last: number;
  private handedOut: number;
  /** Published changes waiting for the next fan-out, its timer, and when the last one ran (performance.now()). */
  private pending: T[] = [];
  private timer: NodeJS.Timeout | null = null;
  private lastFanOut = -Infinity;
  private closed = false;

  constructor({ queueLimit = DEFAULT_QUEUE_LIMIT, lastSeq = 0, fanOutEveryMs = DEFAULT_FAN_OUT_EVERY_MS }: LiveChangesOptions = {}) {
    if (!Number.isInteger(queueLimit) || queueLimit < 1) throw new RangeError(`queueLimit must be a whole number of at least 1, got ${queueLimit}`);
    if (!(fanOutEveryMs >= 0)) throw new RangeError(`fanOutEveryMs must be 0 or more, got ${fanOutEveryMs}`);
    this.queueLimit = queueLimit;
    this.fanOutEveryMs = fanOutEveryMs;
    this.last = this.handedOut = lastSeq;
    const eventTarget = new EventTarget();
    eventTarget.addEventListener(TOPIC, (event) => this.fanOut((event as CustomEvent<T>).detail));
    this.pubSub = createPubSub<{ [TOPIC]: [T] }>({ eventTarget: eventTarget as never });
  }

  /** The seq of the last change published (or the starting `lastSeq`). */
  get lastSeq(): number {
    return this.last;
  }

  /** How many subscribers are following the stream. */
  get subscriberCount(): number {
    return this.queues.size;
  }

  /**
   * Publishes applied changes in `seq` order: handed to the subscribers now when no fan-out ran in the last
   * `fanOutEveryMs`, else with the next one. A change at or before the last one published is skipped, so a batch
   * delivered twice reaches subscribers once. Nothing is published once the stream is closed.
   */
  publish(items: readonly T[]): void {
    for (const item of items) {
      if (this.closed || item.change.seq <= this.last) continue;
      this.last = item.change.seq;
      this.pending.push(item);
    }
    if (!this.pending.length || this.timer) return;
    const wait = this.lastFanOut + this.fanOutEveryMs - performance.now();
    if (wait <= 0) this.handOut();
    else this.timer = setTimeout(() => this.handOut(), wait);
  }

  /** A new subscriber's queue, positioned after the last change handed out (so it gets any still waiting); read it as an async iterator. */
  subscribe({ accepts, queueLimit }: SubscribeOptions<T>): SubscriberQueue<T> {
    const queue: SubscriberQueue<T> = new SubscriberQueue<T>({
      limit: queueLimit ?? this.queueLimit,
      accepts,
      startSeq: this.handedOut,
      onEnd: () => this.queues.delete(queue),
    });
    if (this.closed) queue.end();
    else this.queues.add(queue);
    return queue;
  }

  /** Stops the stream: every subscriber reads what is already queued for it and then the end; later subscribers end at once. */
  close(): void {
    this.handOut();
    this.closed = true;
    for (const queue of [...this.queues]) queue.end();
  }

  /** Hands every waiting change to the queues, in order. */
  private handOut(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.lastFanOut = performance.now();
    const items = this.pending;
    this.pending = [];
    for (const item of items) {
      this.handedOut = item.change.seq;
      this.pubSub.publish(TOPIC, item);
    }
  }

  private fanOut(item: T): void {
    for (const queue of this.queues) queue.offer(item);
  }
}
