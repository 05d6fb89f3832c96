/**
 * `Subscription.eventChanged` checks its filter with the store's one check: a bad filter is refused with the message
 * the events query gives, also on a store without a single event (nothing to test a filter against).
 */
import 'reflect-metadata';
import { graphql, parse, subscribe, type ExecutionResult } from 'graphql';
import { LiveChanges } from '../../../live/live-changes';
import { EventStore } from '../../../store/event-store';
import { buildWideDataset } from '../../../test-support/wide-dataset';
import { createDatelineSchema } from '../../build-schema';
import type { LiveContext } from '../event-changed.resolver';

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
