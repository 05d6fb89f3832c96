import type { CommittedChange } from '../../data/change';
import { LiveChanges } from '../live-changes';
import { ResyncNeeded, type PublishedChange, type SubscriberQueue } from '../subscriber-queue';

/** A published change of event `slug` with feed position `seq`. */
function published(seq: number, slug = `event-${seq}`): PublishedChange {
  const change: CommittedChange = {
    seq,
    at: `2026-12-02T01:00:${String(seq % 60).padStart(2, '0')}.000Z`,
    editor: 'Night desk',
    kind: 'UPDATED',
    entity: { type: 'Event', slug },
    revision: 2,
    note: null,
    changedFields: ['title'],
    before: { slug, title: 'before' },
    after: { slug, title: 'after' },
  };
  return { change };
}

/** Reads `n` items (or until the end) without waiting for more. */
async function take(queue: SubscriberQueue<PublishedChange>, n: number): Promise<(number | ResyncNeeded | 'end')[]> {
  const out: (number | ResyncNeeded | 'end')[] = [];
  for (let i = 0; i < n; i++) {
    const r = await queue.next();
    if (r.done) {
      out.push('end');
      break;
    }
    out.push(r.value instanceof ResyncNeeded ? r.value : r.value.change.seq);
  }
  return out;
}

const all = () => true;

describe('LiveChanges', () => {
  it('gives every subscriber the changes its filter accepts, in order', async () => {
    const live = new LiveChanges();
    const everything = live.subscribe({ accepts: all });
    const odd = live.subscribe({ accepts: (p) => p.change.seq % 2 === 1 });
    live.publish([1, 2, 3, 4, 5].map((seq) => published(seq)));
    expect(await take(everything, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(await take(odd, 3)).toEqual([1, 3, 5]);
    expect(live.lastSeq).toBe(5);
  });

  it('hands a change straight to a reader that is already waiting', async () => {
    const live = new LiveChanges();
    const queue = live.subscribe({ accepts: all });
    const pending = queue.next();
    live.publish([published(1)]);
    expect((await pending).value).toEqual(published(1));
    expect(queue.lastSeq).toBe(1);
  });

  it('publishes a change once even when its batch is published again', async () => {
    const live = new LiveChanges({ lastSeq: 2 });
    const queue = live.subscribe({ accepts: all });
    live.publish([published(1), published(2), published(3)]);
    live.publish([published(3), published(4)]);
    live.close();
    expect(await take(queue, 10)).toEqual([3, 4, 'end']);
  });

  it('ends a subscriber that falls behind its queue limit with the last position it is in step with', async () => {
    const live = new LiveChanges({ queueLimit: 3 });
    const slow = live.subscribe({ accepts: (p) => p.change.seq !== 2 });
    const fast = live.subscribe({ accepts: all });
    expect(live.subscriberCount).toBe(2);
    live.publish([published(1)]);
    expect(await take(slow, 1)).toEqual([1]);
    // 2 is not wanted and nothing waits, so slow is in step up to 2; then 3, 4, 5 fill its queue and 6 overflows it.
    live.publish([2, 3, 4, 5, 6].map((seq) => published(seq)));
    expect(slow.open).toBe(false);
    expect(await take(slow, 5)).toEqual([new ResyncNeeded(2, 3), 'end']);
    // The other one read nothing at all, so 1, 2, 3 filled its queue and 4 overflowed it; it is in step with nothing.
    expect(fast.open).toBe(false);
    expect(await take(fast, 5)).toEqual([new ResyncNeeded(0, 3), 'end']);
    expect(live.subscriberCount).toBe(0);
  });

  it('counts unwanted changes behind waiting ones once those are read', async () => {
    const live = new LiveChanges({ queueLimit: 2 });
    const queue = live.subscribe({ accepts: (p) => p.change.entity.slug === 'wanted' });
    live.publish([published(1, 'wanted'), published(2, 'other'), published(3, 'other')]);
    expect(queue.lastSeq).toBe(0);
    expect(await take(queue, 1)).toEqual([1]);
    expect(queue.lastSeq).toBe(3);
    live.publish([published(4, 'wanted'), published(5, 'wanted'), published(6, 'wanted')]);
    expect(await take(queue, 3)).toEqual([new ResyncNeeded(3, 2), 'end']);
  });

  it('never holds more than the limit for a stalled subscriber, while the others read everything', async () => {
    const limit = 50;
    const live = new LiveChanges({ queueLimit: limit });
    const stalled = live.subscribe({ accepts: all });
    const readers = Array.from({ length: 20 }, () => live.subscribe({ accepts: all }));
    const seen = readers.map(() => 0);
    let most = 0;
    for (let seq = 1; seq <= 5000; seq++) {
      live.publish([published(seq)]);
      most = Math.max(most, stalled.length);
      await Promise.all(readers.map(async (r, i) => (seen[i] += (await take(r, 1)).length)));
    }
    expect(most).toBe(limit);
    expect(stalled.length).toBe(0);
    expect(await take(stalled, 2)).toEqual([new ResyncNeeded(0, limit), 'end']);
    expect(seen).toEqual(readers.map(() => 5000));
    expect(live.subscriberCount).toBe(20);
  });

  it('lets a change through when a filter throws, rather than lose it', async () => {
    const live = new LiveChanges();
    const queue = live.subscribe({
      accepts: () => {
        throw new Error('broken filter');
      },
    });
    live.publish([published(1)]);
    expect(await take(queue, 1)).toEqual([1]);
  });

  it('forgets a subscriber that returns, and drops what waited for it', async () => {
    const live = new LiveChanges();
    const queue = live.subscribe({ accepts: all });
    live.publish([published(1)]);
    const waiting = live.subscribe({ accepts: all });
    const read = waiting.next();
    await waiting.return();
    expect(await read).toEqual({ value: undefined, done: true });
    await queue.return();
    expect(live.subscriberCount).toBe(0);
    expect(await take(queue, 1)).toEqual(['end']);
  });

  it('on close lets each subscriber read what is queued, then ends; later subscribers end at once', async () => {
    const live = new LiveChanges();
    const queue = live.subscribe({ accepts: all });
    const idle = live.subscribe({ accepts: all });
    const idleRead = idle.next();
    live.publish([published(1), published(2)]);
    expect((await idleRead).value).toEqual(published(1));
    live.close();
    live.publish([published(3)]);
    expect(await take(queue, 5)).toEqual([1, 2, 'end']);
    expect(await take(idle, 5)).toEqual([2, 'end']);
    expect(await take(live.subscribe({ accepts: all }), 1)).toEqual(['end']);
    expect(live.subscriberCount).toBe(0);
  });

  it('tells a watching reader of the first change of a batch at once, of the rest once it is published, and of the end', () => {
    const live = new LiveChanges();
    const queue = live.subscribe({ accepts: (p) => p.change.seq !== 2 });
    const seen: (number | 'end' | 'nothing')[][] = [];
    queue.watch(() => {
      const reads: (number | 'end' | 'nothing')[] = [];
      for (let read = queue.poll(); ; read = queue.poll()) {
        reads.push(read === undefined ? 'nothing' : read.done ? 'end' : (read.value as PublishedChange).change.seq);
        if (!read || read.done) break;
      }
      seen.push(reads);
    });
    live.publish([1, 2, 3, 4].map((seq) => published(seq)));
    expect(seen).toEqual([
      [1, 'nothing'],
      [3, 4, 'nothing'],
    ]);
    expect(queue.lastSeq).toBe(4);
    live.close();
    expect(seen[2]).toEqual(['end']);
  });

  it('refuses a queue limit below 1', () => {
    expect(() => new LiveChanges({ queueLimit: 0 })).toThrow('queueLimit must be a whole number of at least 1, got 0');
  });
});
