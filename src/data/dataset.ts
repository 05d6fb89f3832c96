/** The loaded, cross-checked data set: plain records with every reference resolved to a slug that exists. */
import type {
  ActorRecord,
  AttributionRecord,
  CasualtyRecord,
  EventRecord,
  ParticipantRecord,
  PlaceRecord,
  QuoteRecord,
  SourceRecord,
} from './schema';

/** What every record carries besides its file form: where it stands in its history (see `change.ts`). */
export interface RecordMeta {
  /** 1 when created or first loaded; +1 with every change. */
  revision: number;
  /** RFC 3339 instant of its last change through Dateline; null if it never changed. */
  updatedAt: string | null;
}

/** Why and by whom an event was retracted. */
export interface Retraction {
  /** RFC 3339 instant. */
  at: string;
  editor: string;
  reason: string;
}

/** A place with its parent chain and time zone worked out. */
export interface Place extends Omit<PlaceRecord, 'parent' | 'timeZone'>, RecordMeta {
  parent: string | null;
  /** Slugs of the places this one lies in, nearest first. */
  ancestors: string[];
  /** Own IANA zone, else the nearest ancestor's. */
  timeZone: string | null;
}

/** An actor, as defined in `actors.json`. */
export type Actor = ActorRecord & RecordMeta;

/** A source, as defined in `sources.json`. */
export type Source = SourceRecord & RecordMeta;

/** An event with every optional list present and its derived fields filled in. */
export interface Event
  extends Omit<EventRecord, 'underWay' | 'endDate' | 'places' | 'participants' | 'casualties' | 'quotes' | 'related' | 'retraction'>,
    RecordMeta {
  /** True when the sources give only a day the event was under way on, not the day it began. */
  underWay: boolean;
  /** PUBLISHED, or RETRACTED while `retraction` is set. */
  status: 'PUBLISHED' | 'RETRACTED';
  retraction: Retraction | null;
  endDate: string | null;
  displayDate: string;
  timeZone: string;
  /** Every place involved, main place first. */
  places: string[];
  participants: ParticipantRecord[];
  casualties: CasualtyRecord[];
  sources: AttributionRecord[];
  quotes: QuoteRecord[];
  related: string[];
}

/** Where an event was read: its file (as the loader named it) and its line in an NDJSON file (1 for the first; 0 for an own file). */
export interface EventLocation {
  file: string;
  line: number;
}

/** Everything the service serves; events are in (date, slug) order. */
export interface Dataset {
  events: Event[];
  /** Every event by slug, when the loader has it at hand (a store builds it otherwise). */
  eventsBySlug?: { get(slug: string): Event | undefined; readonly size: number };
  /** Where the loader read each event, when it has that at hand: what lets an edit find an event's line in a bulk file. */
  locate?: (slug: string) => EventLocation | undefined;
  places: Place[];
  actors: Actor[];
  sources: Source[];
  /** Changes whenever any data file changes; used for cache keys. */
  version: string;
}
