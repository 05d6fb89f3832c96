/**
 * Direct delivery, below the transports: many subscribers of one document share one execution and one serialization
 * per change; each subscriber gets its changes in order, RESYNC as its last frame, and nothing after return(); the
 * write batcher writes at once after a quiet spell and corks within the window after it.
 */
import 'reflect-metadata';
import { parse, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { LiveChanges } from '../../../live/live-changes';
import type { PublishedChange } from '../../../live/subscriber-queue';
import { createDatelineSchema } from '../../../schema/build-schema';
import type { LiveContext } from '../../../schema/change/event-changed.resolver';
import { EventStore } from '../../../store/event-store';
import { buildWideDataset } from '../../../test-support/wide-dataset';
import { DirectSubscription, type FrameSink } from '../direct-subscription';
import { createSubscriptionExecutor } from '../execute-subscription';
import { WriteBatcher, type Corkable } from '../write-batching';

const schema = createDatelineSchema();
const store = new EventStore(buildWideDataset({ events: 3 }));
const slug = store.all()[0]!.slug;
const document = parse('subscription { eventChanged { cursor kind entity { ... on Event { slug } } } }');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function published(seq: number): PublishedChange {
  const event = store.event(slug)!;
  return {
    change: { seq, at: '2026-12-02T03:00:00.000Z', editor: 'Night desk', kind: 'UPDATED', entity: { type: 'Event', slug }, revision: seq + 1, note: null, changedFields: ['title'], before: {}, after: {} },
    eventBefore: event,
    eventAfter: event,
  };
}

/** A sink that keeps what it is written; `takes` says how many frames it takes before it must wait. */
function recordingSink(takes = Infinity): FrameSink & { frames: string[]; resume?: () => void } {
  const sink: FrameSink & { frames: string[]; resume?: () => void } = {
    frames: [],
    write(answer, resume) {
      sink.frames.push(answer.text!);
      if (sink.frames.length < takes) return true;
      sink.resume = resume;
      return false;
    },
  };
  return sink;
}

async function subscribers(live: LiveChanges, count: number, format = (r: ExecutionResult) => r): Promise<DirectSubscription[]> {
  const subscribe = createSubscriptionExecutor(format);
  const args = (): ExecutionArgs => ({ schema, document, contextValue: { store, live, queueLimit: 3 } satisfies LiveContext });
  return Promise.all(Array.from({ length: count }, async () => (await subscribe(args())) as DirectSubscription));
}

/** The feed positions of written frames, from their cursors (`change.seq:N`, base64url). */
const seqs = (frames: string[]) =>
  frames.map((text) => Number(Buffer.from((JSON.parse(text) as { data: { eventChanged: { cursor: string } } }).data.eventChanged.cursor, 'base64url').toString().split(':')[1]));

describe('direct delivery', () => {
  it('executes and serializes a change once for all the subscribers of one document', async () => {
    const live = new LiveChanges();
    let formatted = 0;
    const subs = await subscribers(live, 50, (r) => (formatted++, r));
    const sinks = subs.map((sub) => {
      const sink = recordingSink();
      sub.deliverTo(sink);
      return sink;
    });
    live.publish([published(1), published(2)]);
    await sleep(10);
    expect(formatted).toBe(2);
    expect(sinks.every((sink) => sink.frames.length === 2)).toBe(true);
    // One text per change, the same string for every subscriber.
    expect(new Set(sinks.map((sink) => sink.frames[0])).size).toBe(1);
  });

  it('writes in order, waits for a sink that cannot take more, and ends with RESYNC when it falls behind', async () => {
    const live = new LiveChanges();
    const [sub] = await subscribers(live, 1);
    const sink = recordingSink(1); // takes one frame at a time
    /** The client reads: the sink takes more each time, until nothing is left to write. */
    const drain = async () => {
      while (sink.resume) {
        const resume = sink.resume;
        sink.resume = undefined;
        resume();
        await sleep(5);
      }
    };
    sub.deliverTo(sink);
    live.publish([1, 2, 3].map(published));
    await sleep(10);
    expect(sink.frames).toHaveLength(1);
    await drain();
    expect(seqs(sink.frames)).toEqual([1, 2, 3]);
    const ended = sub.next();
    live.publish([4, 5, 6, 7, 8].map(published)); // 5, 6, 7 wait behind 4; 8 is more than its queue of 3
    await sleep(10);
    await drain();
    expect(seqs(sink.frames.slice(0, 4))).toEqual([1, 2, 3, 4]);
    expect(sink.frames).toHaveLength(5);
    const last = JSON.parse(sink.frames[4]) as { errors: { extensions: { code: string } }[] };
    expect(last.errors[0].extensions.code).toBe('RESYNC');
    expect(await ended).toEqual({ value: undefined, done: true });
  });

  it('writes nothing after return()', async () => {
    const live = new LiveChanges();
    const [sub] = await subscribers(live, 1);
    const sink = recordingSink();
    sub.deliverTo(sink);
    await sub.return();
    live.publish([published(1)]);
    await sleep(10);
    expect(sink.frames).toEqual([]);
    expect(live.subscriberCount).toBe(0);
  });
});

describe('WriteBatcher', () => {
  const corkable = () => {
    const c = { corks: 0, uncorks: 0, cork: () => void c.corks++, uncork: () => void c.uncorks++ } satisfies Corkable & Record<string, unknown>;
    return c;
  };

  it('after a quiet spell writes once the publisher\'s pass is done (several changes in one write), then corks until the window ends', async () => {
    const batcher = new WriteBatcher(20);
    const first = corkable();
    batcher.hold(first);
    batcher.hold(first);
    expect([first.corks, first.uncorks]).toEqual([1, 0]);
    await new Promise((resolve) => setImmediate(resolve));
    expect([first.corks, first.uncorks]).toEqual([1, 1]);
    const a = corkable();
    const b = corkable();
    batcher.hold(a);
    batcher.hold(a);
    batcher.hold(b);
    await new Promise((resolve) => setImmediate(resolve));
    expect([a.corks, a.uncorks, b.corks, b.uncorks]).toEqual([1, 0, 1, 0]);
    await sleep(60);
    expect([a.corks, a.uncorks, b.corks, b.uncorks]).toEqual([1, 1, 1, 1]);
  });
});
