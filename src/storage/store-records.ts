/**
 * Reading records out of the in-memory store in the shapes the data checks take: lookups by slug, whole catalogues
 * in file form, and what a saved place does to the places inside it and the events at them.
 */
import type { EntityType, FileForm } from '../data/change';
import type { Actor, Event, Place, Source } from '../data/dataset';
import { catalogueFileForm, eventFileForm } from '../data/file-form';
import { checkCatalogueRecord, checkEvent, type EventLookups, type InputProblem } from '../data/validate-input';
import type { EventStore } from '../store/event-store';
import type { Page, PageArgs } from '../store/pagination';

/** What is read of the store. */
export type StoreReads = Pick<EventStore, 'event' | 'place' | 'actor' | 'source' | 'all' | 'placeList' | 'actorList' | 'sourceList'>;

/** Records added in an update being put together, which lookups see before the store's. */
export interface PendingRecords {
  events: Event[];
  places: Place[];
  actors: Actor[];
  sources: Source[];
}

/** Every item of a paged list of the store. */
function everything<T>(list: (page: PageArgs) => Page<T>): T[] {
  const out: T[] = [];
  for (let after: string | null = null; ; ) {
    const page = list({ first: 100, after });
    for (const edge of page.edges) out.push(edge.node);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return out;
    after = page.pageInfo.endCursor;
  }
}

/**
 * A catalogue's records in file form, worked out from the store: a place's own zone is written where it differs from
 * its parent's, which loads the same (a storage that has the files gives them instead).
 */
export function catalogueRecordsOf(store: StoreReads, type: Exclude<EntityType, 'Event'>): FileForm[] {
  if (type === 'Actor') return everything((p) => store.actorList(p)).map((a) => catalogueFileForm('Actor', a));
  if (type === 'Source') return everything((p) => store.sourceList(p)).map((s) => catalogueFileForm('Source', s));
  const places = everything((p) => store.placeList(p));
  const bySlug = new Map(places.map((p) => [p.slug, p]));
  return places.map((p) => catalogueFileForm('Place', p, p.parent ? (bySlug.get(p.parent)?.timeZone ?? null) : null));
}

/** The current file form of a record, worked out from the store; null when there is none. */
export function storeFileForm(store: StoreReads, type: EntityType, slug: string): FileForm | null {
  if (type === 'Event') {
    const event = store.event(slug);
    return event ? eventFileForm(event) : null;
  }
  return catalogueRecordsOf(store, type).find((r) => r.slug === slug) ?? null;
}

/** What events are checked against: `pending` records first, then the store. */
export function lookups(store: StoreReads, pending: PendingRecords = { events: [], places: [], actors: [], sources: [] }): EventLookups {
  const find = <T extends { slug: string }>(list: readonly T[], slug: string) => {
    for (let i = list.length - 1; i >= 0; i--) if (list[i].slug === slug) return list[i];
    return undefined;
  };
  return {
    places: { get: (slug) => find(pending.places, slug) ?? store.place(slug) },
    actors: { get: (slug) => find(pending.actors, slug) ?? store.actor(slug) },
    sources: { get: (slug) => find(pending.sources, slug) ?? store.source(slug) },
    event: (slug) => find(pending.events, slug) ?? store.event(slug),
  };
}

/** What saving a place does: the places it changes (itself first, others with their meta) and the events it moves. */
export interface PlaceChange {
  places: Place[];
  events: Event[];
  problems: InputProblem[];
}

/**
 * Checks a place saved into the catalogue `records` (file forms) as the loader would, and works out every place whose
 * ancestors or zone it changes and every event at a place whose zone moves (checked again in its new zone: an event
 * that could no longer be dated is a problem of the place, at `[...root, "timeZone"]`).
 */
export function resolvePlaceChange(store: StoreReads, after: FileForm, records: FileForm[], look: EventLookups, root: string[]): PlaceChange {
  const { records: resolved, problems } = checkCatalogueRecord('Place', after, records, root);
  if (problems.length) return { places: [], events: [], problems };
  const places: Place[] = [];
  const movedZones = new Set<string>();
  for (const place of resolved.values()) {
    const old = look.places.get(place.slug);
    const own = place.slug === after.slug;
    if (!own && old && old.timeZone === place.timeZone && old.ancestors.join() === place.ancestors.join()) continue;
    if (old && old.timeZone !== place.timeZone) movedZones.add(place.slug);
    places.push({ ...place, revision: old?.revision ?? 1, updatedAt: old?.updatedAt ?? null });
  }
  const events: Event[] = [];
  if (!movedZones.size) return { places: own(places, after), events, problems };
  const moved = lookups(store, { events: [], places, actors: [], sources: [] });
  for (const event of store.all({ places: [...movedZones], includeRetracted: true })) {
    if (!movedZones.has(event.place)) continue;
    const { event: again, problems: found } = checkEvent(eventFileForm(event), moved, []);
    if (again) events.push({ ...again, revision: event.revision, updatedAt: event.updatedAt });
    for (const p of found) problems.push({ field: [...root, 'timeZone'], message: `would leave event "${event.slug}" wrong: ${p.message}`, code: 'INVALID' });
  }
  return { places: own(places, after), events, problems };
}

/** The saved place first. */
function own(places: Place[], after: FileForm): Place[] {
  return [...places.filter((p) => p.slug === after.slug), ...places.filter((p) => p.slug !== after.slug)];
}
