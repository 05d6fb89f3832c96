/** An RFC 7946 GeoJSON FeatureCollection of events at their places, longitude first. */
import type { Feature, Point } from 'geojson';
import type { Event, Place } from '../../data/dataset';
import type { EventStore } from '../../store/event-store';
import { categoryLabel, placeChain } from './event-text';
import type { PageWriter } from './export-format';

/** What each event feature carries besides its point. */
export interface EventFeatureProperties {
  slug: string;
  title: string;
  date: string;
  endDate: string | null;
  displayDate: string;
  category: string;
  categoryLabel: string;
  /** Slug of the event's main place. */
  place: string;
  placeName: string;
  /** Slug of the place whose coordinates locate the point: the main place, or its nearest ancestor that has some. */
  locatedAt: string | null;
}

/** The nearest of the event's place and its ancestors that has coordinates, if any. */
export function locatingPlace(event: Event, store: EventStore): Place | undefined {
  return placeChain(event, store).find((p) => p.latitude !== undefined && p.longitude !== undefined);
}

/** The feature of one event; `geometry: null` when neither its place nor any around it is located. */
function feature(event: Event, store: EventStore): Feature<Point | null, EventFeatureProperties> {
  const place = store.place(event.place)!;
  const located = locatingPlace(event, store);
  return {
    type: 'Feature',
    id: event.slug,
    geometry: located ? { type: 'Point', coordinates: [located.longitude!, located.latitude!] } : null,
    properties: {
      slug: event.slug,
      title: event.title,
      date: event.date,
      endDate: event.endDate,
      displayDate: event.displayDate,
      category: event.category,
      categoryLabel: categoryLabel(event.category),
      place: place.slug,
      placeName: place.name,
      locatedAt: located?.slug ?? null,
    },
  };
}

/** The FeatureCollection of a page of events as JSON, one feature at a time (see `export-format.ts`). */
export function geoJsonWriter(store: EventStore): PageWriter {
  return { head: '{"type":"FeatureCollection","features":[', item: (event) => JSON.stringify(feature(event, store)), separator: ',', tail: ']}' };
}
