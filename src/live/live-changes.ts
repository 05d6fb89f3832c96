/**
 * The stream of committed changes that live subscribers follow. The storage listener publishes each batch of changes
 * once it is applied to the store; every subscriber gets the ones its filter accepts through its own bounded queue
 * (`subscriber-queue.ts`), so one slow client costs at most its queue limit and never holds up the others.
 */
import { createPubSub, type PubSub } from '@graphql-yoga/subscription';
import { SubscriberQueue, type PublishedChange } from './subscriber-queue';

/** Default most changes waiting for one subscriber (setting LIVE_QUEUE_LIMIT). */
export const DEFAULT_QUEUE_LIMIT = 1000;

/** The one topic: every committed change, in `seq` order. */
const TOPIC = 'change';

/** How the stream starts. */
export interface LiveChangesOptions {
  /** Most changes waiting for one subscriber; default {@link DEFAULT_QUEUE_LIMIT}. */
  queueLimit?: number;
  /** The seq of the last change committed before this process started publishing (0 for an empty feed). */
  lastSeq?: number;
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
  private last: number;
  private closed = false;

  constructor({ queueLimit = DEFAULT_QUEUE_LIMIT, lastSeq = 0 }: LiveChangesOptions = {}) {
    if (!Number.isInteger(queueLimit) || queueLimit < 1) throw new RangeError(`queueLimit must be a whole number of at least 1, got ${queueLimit}`);
    this.queueLimit = queueLimit;
    this.last = lastSeq;
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
   * Publishes applied changes in `seq` order. A change at or before the last one published is skipped, so a batch
   * delivered twice reaches subscribers once. Nothing is published once the stream is closed.
   */
  publish(items: readonly T[]): void {
    for (const item of items) {
      if (this.closed || item.change.seq <= this.last) continue;
      this.last = item.change.seq;
      this.pubSub.publish(TOPIC, item);
    }
    for (const queue of this.queues) queue.wake();
  }

  /** A new subscriber's queue, positioned after the last change published; read it as an async iterator. */
  subscribe({ accepts, queueLimit }: SubscribeOptions<T>): SubscriberQueue<T> {
    const queue: SubscriberQueue<T> = new SubscriberQueue<T>({
      limit: queueLimit ?? this.queueLimit,
      accepts,
      startSeq: this.last,
      onEnd: () => this.queues.delete(queue),
    });
    if (this.closed) queue.end();
    else this.queues.add(queue);
    return queue;
  }

  /** Stops the stream: every subscriber reads what is already queued for it and then the end; later subscribers end at once. */
  close(): void {
    this.closed = true;
    for (const queue of [...this.queues]) queue.end();
  }

  private fanOut(item: T): void {
    for (const queue of this.queues) queue.offer(item);
  }
}
