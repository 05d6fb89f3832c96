/**
 * Puts committed changes into the in-memory store: each change's `after` (file form) is resolved by the same data
 * functions the loader uses into store records with their meta, together with the records whose resolved form
 * depends on a changed place (the places inside it, and the events at those places when their time zone moved), and
 * handed to `store.apply` in one update (the wiring appends the changes to the change log and publishes them).
 */
import type { CommittedChange, FileForm } from '../data/change';
import type { Actor, Event, Place, Source } from '../data/dataset';
import { checkEvent } from '../data/validate-input';
import type { StoreUpdate } from '../store/event-store';
import { catalogueRecordsOf, lookups, resolvePlaceChange, type StoreReads } from './store-records';

/** The store as the changes need it. */
export type ApplyTarget = StoreReads & {
  apply(update: StoreUpdate): void;
};

/** Where the places' own file forms come from (a place's own time zone is not in the store); default: the store. */
export interface ApplyOptions {
  placeRecords?: () => FileForm[];
}

/** Resolves committed changes into one store update and applies it; throws, changing nothing, if one cannot be. */
export function applyCommitted(store: ApplyTarget, changes: CommittedChange[], options: ApplyOptions = {}): StoreUpdate {
  const update = { events: [] as Event[], places: [] as Place[], actors: [] as Actor[], sources: [] as Source[] };
  const look = lookups(store, update);
  for (const change of changes) {
    const meta = { revision: change.revision, updatedAt: change.at };
    const { type, slug } = change.entity;
    if (type === 'Event') {
      const { event, problems } = checkEvent(change.after, look, []);
      if (!event) throw new Error(`change ${change.seq} (event ${slug}) cannot be applied: ${problems.map((p) => p.message).join('; ')}`);
      update.events.push({ ...event, ...meta });
    } else if (type === 'Actor') update.actors.push({ ...(change.after as unknown as Actor), ...meta });
    else if (type === 'Source') update.sources.push({ ...(change.after as unknown as Source), ...meta });
    else {
      const records = (options.placeRecords ?? (() => catalogueRecordsOf(store, 'Place')))();
      const moved = resolvePlaceChange(store, change.after, records, look, []);
      if (moved.problems.length) throw new Error(`change ${change.seq} (place ${slug}) cannot be applied: ${moved.problems.map((p) => p.message).join('; ')}`);
      for (const place of moved.places) update.places.push(place.slug === slug ? { ...place, ...meta } : place);
      update.events.push(...moved.events);
    }
  }
  store.apply(update);
  return update;
}
