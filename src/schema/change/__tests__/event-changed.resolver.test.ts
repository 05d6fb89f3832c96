/**
 * `Subscription.eventChanged` checks its filter with the store's one check: a bad filter is refused with the message
 * the events query gives, also on a store without a single event (nothing to test a filter against). The schema of
 * subscriptions answers a change synchronously, as type-graphql's resolvers answer it asynchronously.
 */
import 'reflect-metadata';
import { execute, graphql, parse, subscribe, type ExecutionResult } from 'graphql';
import { LiveChanges } from '../../../live/live-changes';
import { EventStore } from '../../../store/event-store';
import { buildWideDataset } from '../../../test-support/wide-dataset';
import { createDatelineSchema } from '../../build-schema';
import { ResyncNeeded, type PublishedChange } from '../../../live/subscriber-queue';
import { answerChangesAtOnce, type LiveContext } from '../event-changed.resolver';

const schema = createDatelineSchema();

/** The first error message of subscribing with `filter`, and of the events query with it. */
async function messages(store: EventStore, filter: string): Promise<{ subscription?: string; query?: string }> {
  const contextValue: LiveContext = { store, live: new LiveChanges() };
  const subscribed = (await subscribe({ schema, document: parse(`subscription { eventChanged(filter: ${filter}) { cursor } }`), contextValue })) as ExecutionResult;
  const queried = await graphql({ schema, source: `{ events(filter: ${filter}) { totalCount } }`, contextValue });
  return { subscription: subscribed.errors?.[0]?.message, query: queried.errors?.[0]?.message };
}

describe('eventChanged filter', () => {
  const empty = new EventStore(buildWideDataset({ events: 0 }));
  const some = new EventStore(buildWideDataset({ events: 20 }));

  it.each([
    ['an unknown place', '{ places: ["atlantis"] }', 'filter.places: unknown place slug "atlantis"'],
    ['from after to', '{ from: "2013-01-02", to: "2013-01-01" }', 'filter.from: 2013-01-02 is after filter.to'],
    ['a search too long', `{ search: "${'x'.repeat(201)}" }`, 'filter.search: is 201 characters long'],
  ])('refuses %s with the message the events query gives, with or without events', async (_name, filter, start) => {
    for (const store of [empty, some]) {
      const { subscription, query } = await messages(store, filter);
      expect(subscription).toBe(query);
      expect(subscription).toMatch(new RegExp(`^${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });

  it('subscribes with a good filter on a store without events', async () => {
    const live = new LiveChanges();
    const result = await subscribe({ schema, document: parse('subscription { eventChanged(filter: { places: ["country-0"] }) { cursor } }'), contextValue: { store: empty, live } });
    expect(Symbol.asyncIterator in result).toBe(true);
    expect(live.subscriberCount).toBe(1);
    await (result as AsyncGenerator).return(undefined);
    expect(live.subscriberCount).toBe(0);
  });
});

describe('answerChangesAtOnce', () => {
  const store = new EventStore(buildWideDataset({ events: 3 }));
  const event = store.all()[0]!;
  const item: PublishedChange = {
    change: { seq: 7, at: '2026-12-02T03:00:00.000Z', editor: 'Night desk', kind: 'UPDATED', entity: { type: 'Event', slug: event.slug }, revision: 2, note: null, changedFields: ['title'], before: {}, after: {} },
    eventBefore: event,
    eventAfter: event,
  };
  const document = parse('subscription { eventChanged { cursor kind entity { id __typename ... on Event { slug places { slug } } } } }');
  const atOnce = createDatelineSchema();
  answerChangesAtOnce(atOnce);

  it('answers a change and a RESYNC synchronously, exactly as type-graphql\'s resolvers do a few microtasks later', async () => {
    for (const rootValue of [item, new ResyncNeeded(6, 10)]) {
      const contextValue = { store };
      const now = execute({ schema: atOnce, document, rootValue, contextValue });
      const later = execute({ schema, document, rootValue, contextValue });
      expect(now).not.toBeInstanceOf(Promise);
      expect(later).toBeInstanceOf(Promise);
      expect(JSON.stringify(now)).toBe(JSON.stringify(await later));
    }
  });
});
