/** The check an update passes before the store takes it: every reference resolves, so no query can meet a dangling one. */
import type { Event } from '../data/dataset';
import type { Catalogue, CatalogueUpdate } from './catalogue';

/** Records to put into the store, each as it now is (resolved, with its meta); what is not named stays. */
export interface StoreUpdate extends CatalogueUpdate {
  /** Created or changed events: replaced, retracted or restored ones carry their new status. */
  events?: readonly Event[];
}

/** Every reference of `event`, as [what it is, slug, where in the event]. */
function* referencesOf(event: Event): Iterable<['place' | 'actor' | 'source' | 'event', string, string]> {
  yield ['place', event.place, 'place'];
  for (const [i, slug] of event.places.entries()) yield ['place', slug, `places[${i}]`];
  for (const [i, p] of event.participants.entries()) {
    yield ['actor', p.actor, `participants[${i}].actor`];
    if (p.reportedBy) yield ['source', p.reportedBy, `participants[${i}].reportedBy`];
  }
  for (const [i, c] of event.casualties.entries()) yield ['source', c.reportedBy, `casualties[${i}].reportedBy`];
  for (const [i, a] of event.sources.entries()) yield ['source', a.source, `sources[${i}].source`];
  for (const [i, q] of event.quotes.entries()) {
    yield ['actor', q.speaker, `quotes[${i}].speaker`];
    if (q.reportedBy) yield ['source', q.reportedBy, `quotes[${i}].reportedBy`];
  }
  for (const [i, slug] of event.related.entries()) yield ['event', slug, `related[${i}]`];
}

/**
 * Throws, naming every problem, unless every reference of `update` resolves in `catalogue` (the store's with the
 * update's places, actors and sources) or among the events (`hasEvent`, and the update's own).
 */
export function checkUpdate(update: StoreUpdate, catalogue: Catalogue, hasEvent: (slug: string) => boolean): void {
  const problems: string[] = [];
  const own = new Set((update.events ?? []).map((e) => e.slug));
  const known = {
    place: (slug: string) => catalogue.placesBySlug.has(slug),
    actor: (slug: string) => catalogue.actorsBySlug.has(slug),
    source: (slug: string) => catalogue.sourcesBySlug.has(slug),
    event: (slug: string) => own.has(slug) || hasEvent(slug),
  };
  for (const event of update.events ?? []) {
    for (const [kind, slug, where] of referencesOf(event)) {
      if (!known[kind](slug)) problems.push(`event ${JSON.stringify(event.slug)}: ${where}: no ${kind} ${JSON.stringify(slug)}`);
    }
  }
  for (const place of update.places ?? []) {
    for (const slug of place.ancestors) if (!known.place(slug)) problems.push(`place ${JSON.stringify(place.slug)}: ancestors: no place ${JSON.stringify(slug)}`);
  }
  for (const actor of update.actors ?? []) {
    if (actor.affiliation && !known.actor(actor.affiliation)) problems.push(`actor ${JSON.stringify(actor.slug)}: affiliation: no actor ${JSON.stringify(actor.affiliation)}`);
  }
  if (problems.length) throw new Error(`store update refused, nothing changed:\n${problems.join('\n')}`);
}
