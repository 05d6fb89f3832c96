/** Plain-language pieces of an event shared by the exports: category labels, casualty lines, place chains. */
import type { Event, Place } from '../../data/dataset';
import type { CountQualifier } from '../../data/schema';
import type { EventStore } from '../../store/event-store';

const QUALIFIER_WORDS: Record<CountQualifier, string> = {
  EXACTLY: '',
  AT_LEAST: 'at least ',
  MORE_THAN: 'more than ',
  ABOUT: 'about ',
  UP_TO: 'up to ',
};

/** `AIR_STRIKE` -> `Air strike`. */
export function categoryLabel(category: string): string {
  const words = category.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One casualty report as a sentence, keeping its qualifier and source: "At least 20 killed (rebel fighters), according to SOHR." */
export function casualtyLines(event: Event, store: EventStore): string[] {
  return event.casualties.map((c) => {
    const text = `${QUALIFIER_WORDS[c.qualifier]}${c.count} ${c.kind.toLowerCase()} (${c.victims}), according to ${store.source(c.reportedBy)?.name ?? c.reportedBy}`;
    return text.charAt(0).toUpperCase() + text.slice(1);
  });
}

/** The names of the sources that reported the event. */
export function sourceNames(event: Event, store: EventStore): string[] {
  return event.sources.map((a) => store.source(a.source)?.name ?? a.source);
}

/** The event's main place and the places it lies in, nearest first. */
export function placeChain(event: Event, store: EventStore): Place[] {
  const place = store.place(event.place)!;
  return [place, ...place.ancestors.map((slug) => store.place(slug)!)];
}
