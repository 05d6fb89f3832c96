/**
 * The last two steps of the change flow, for the storage listener: apply committed changes to the store, then
 * publish them. Subscribers' filters ask whether an event matched before or after a change, so the events as the
 * store had them are taken just before applying, and as it has them just after.
 */
import type { CommittedChange } from '../data/change';
import type { Event } from '../data/dataset';
import type { LiveChanges } from './live-changes';
import type { PublishedChange } from './subscriber-queue';

/** The store as this step reads it. */
export interface EventLookup {
  event(slug: string): Event | undefined;
}

/**
 * Runs `apply(changes)` (which puts them into `store`) and publishes them on `live`, each event change with the event
 * before and after it. Several changes to one event in one batch (hand edits picked up together) are each judged by
 * the event before the batch and after it: the store never held the states in between.
 */
export function applyAndPublish(store: EventLookup, live: LiveChanges, changes: readonly CommittedChange[], apply: (changes: readonly CommittedChange[]) => void): void {
  const before = new Map<string, Event | null>();
  for (const { entity } of changes) {
    if (entity.type === 'Event' && !before.has(entity.slug)) before.set(entity.slug, store.event(entity.slug) ?? null);
  }
  apply(changes);
  const published: PublishedChange[] = changes.map((change) =>
    change.entity.type === 'Event'
      ? { change, eventBefore: before.get(change.entity.slug) ?? null, eventAfter: store.event(change.entity.slug) ?? null }
      : { change },
  );
  live.publish(published);
}
