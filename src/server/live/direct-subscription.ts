/**
 * Delivery of a subscription's changes straight to its socket or stream. graphql-ws and graphql-sse each read a
 * subscription through a chain of promises per change and serialize each message themselves: with 1,000 subscribers
 * that was most of the server's CPU per change. Here the publisher's fan-out reaches each subscriber's queue
 * synchronously, and a change whose shared answer is ready (`shared-answers.ts`) is written at once as a frame the
 * transport splices around the answer's text; an answer still executing is written, for all its subscribers in one
 * pass, when it settles. The protocol libraries still own the subscription: they hold it as the async iterator
 * returned here, which yields nothing and ends when the queue ends (so they send `complete`), and their `return()`
 * (the client completed or went away) stops delivery and drops the queue.
 */
import type { ExecutionResult } from 'graphql';
import type { AnswerWaiter, SharedAnswer } from './shared-answers';

/** Where a subscription's `next` messages go: one socket's or stream's framing and backpressure. */
export interface FrameSink {
  /**
   * Writes the `next` message carrying `answer.text`. Returns false when the connection cannot take more for now; it
   * then calls `resume` once it can (or never, when the connection is gone: its close ends the subscription).
   */
  write(answer: SharedAnswer, resume: () => void): boolean;
}

/** The subscriber queue as read here (`live/subscriber-queue.ts`): polled when it says a read would not wait. */
export interface PolledSource {
  poll(): IteratorResult<unknown> | undefined;
  watch(listener: () => void): void;
  return(): Promise<unknown>;
}

/** A running subscription: the protocol library's async iterator, and the start of delivery to a sink. */
export class DirectSubscription implements AsyncGenerator<ExecutionResult, undefined, undefined>, AnswerWaiter {
  private sink: FrameSink | null = null;
  private blocked = false;
  private stopped = false;
  private ended = false;
  private endWaiter: ((result: IteratorResult<ExecutionResult, undefined>) => void) | null = null;

  constructor(
    private readonly source: PolledSource,
    /** The shared answer for one item of the source (a published change, or the RESYNC notice). */
    private readonly answerFor: (item: unknown) => SharedAnswer,
  ) {}

  /** Starts writing to `sink`: what queued before, then each change as it comes. Once only. */
  deliverTo(sink: FrameSink): void {
    if (this.sink || this.stopped) return;
    this.sink = sink;
    this.source.watch(this.pump);
    this.pump();
  }

  /** Yields nothing: resolves with the end once the source has ended and everything was written. */
  next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    if (this.ended || this.stopped) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.endWaiter = resolve));
  }

  /** The client completed or went away: stops delivery and drops the queue. */
  async return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    if (!this.stopped) {
      this.stopped = true;
      await this.source.return();
      this.end();
    }
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult, undefined>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  /** An answer this subscription waited for is ready: write it, then go on with what queued meanwhile. */
  answered(answer: SharedAnswer): void {
    if (this.stopped) return;
    this.blocked = false;
    this.write(answer);
    this.pump();
  }

  /** Writes what the source has while the sink takes it; arrow function, as the source calls it back. */
  private readonly pump = (): void => {
    while (!this.blocked && !this.stopped) {
      const read = this.source.poll();
      if (!read) return;
      if (read.done) return this.end();
      const answer = this.answerFor(read.value);
      if (answer.text === undefined) {
        // Changes reach a subscriber in order: the next is read only once this one is written.
        this.blocked = true;
        answer.whenReady(this);
        return;
      }
      this.write(answer);
    }
  };

  private readonly resume = (): void => {
    this.blocked = false;
    this.pump();
  };

  private write(answer: SharedAnswer): void {
    if (!this.sink!.write(answer, this.resume)) this.blocked = true;
  }

  private end(): void {
    this.ended = true;
    const waiter = this.endWaiter;
    this.endWaiter = null;
    waiter?.({ value: undefined, done: true });
  }
}
