/**
 * The one description of Dateline's data files. Each TypeBox schema below is at once the
 * TypeScript type the loader returns and the JSON Schema that editors use (via `"$schema"` in
 * each file) and that the loader validates with. `npm run schema:data` writes them to
 * `events/schema/`; a test fails when those files drift from this module.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

/** A stable, lower-case, `a-z0-9-` identifier that people can read and type. */
export const Slug = Type.String({
  pattern: SLUG_PATTERN,
  maxLength: 120,
  description: 'Stable lower-case identifier: a-z, 0-9 and single hyphens, e.g. "hama-province".',
});

/** A calendar date, `YYYY-MM-DD`, local to the place it describes. */
export const CalendarDate = Type.String({
  pattern: DATE_PATTERN,
  description: 'Calendar date YYYY-MM-DD, local to the place of the event.',
});

const NonEmpty = (description: string, maxLength = 20_000) =>
  Type.String({ minLength: 1, maxLength, description });

function enumOf<const V extends readonly string[]>(values: V, description: string) {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], description });
}

export const EVENT_CATEGORIES = ['DIPLOMACY', 'STATEMENT', 'POLITICAL', 'ARMED_CLASH', 'BOMBING', 'AIR_STRIKE'] as const;
export const DATE_PRECISIONS = ['YEAR', 'MONTH', 'DAY', 'PART_OF_DAY', 'HOUR', 'MINUTE'] as const;
export const PARTS_OF_DAY = ['EARLY', 'MORNING', 'MIDDAY', 'AFTERNOON', 'EVENING', 'LATE', 'NIGHT'] as const;
export const PLACE_KINDS = ['COUNTRY', 'PROVINCE', 'CITY', 'NEIGHBOURHOOD', 'CAMP', 'SITE'] as const;
export const ACTOR_KINDS = [
  'PERSON',
  'STATE',
  'GOVERNMENT_FORCES',
  'ARMED_GROUP',
  'ORGANIZATION',
  'INTERGOVERNMENTAL_ORGANIZATION',
] as const;
export const SOURCE_KINDS = ['NEWS_OUTLET', 'NEWS_AGENCY', 'STATE_MEDIA', 'MONITORING_GROUP', 'OFFICIAL'] as const;
export const PARTICIPANT_ROLES = [
  'HOST',
  'ATTENDEE',
  'MEDIATOR',
  'SPEAKER',
  'SUBJECT',
  'ATTACKER',
  'TARGET',
  'COMBATANT',
  'SUPPORTER',
] as const;
export const CASUALTY_KINDS = ['KILLED', 'INJURED'] as const;
export const COUNT_QUALIFIERS = ['EXACTLY', 'AT_LEAST', 'MORE_THAN', 'ABOUT', 'UP_TO'] as const;

export type EventCategory = (typeof EVENT_CATEGORIES)[number];
export type DatePrecision = (typeof DATE_PRECISIONS)[number];
export type PartOfDay = (typeof PARTS_OF_DAY)[number];
export type PlaceKind = (typeof PLACE_KINDS)[number];
export type ActorKind = (typeof ACTOR_KINDS)[number];
export type SourceKind = (typeof SOURCE_KINDS)[number];
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];
export type CasualtyKind = (typeof CASUALTY_KINDS)[number];
export type CountQualifier = (typeof COUNT_QUALIFIERS)[number];

/** A place: a country, a province, a city, down to a site; nested through `parent`. */
export const PlaceRecord = Type.Object(
  {
    slug: Slug,
    name: NonEmpty('Name in English, as the sources write it.', 200),
    kind: enumOf(PLACE_KINDS, 'What kind of place this is.'),
    parent: Type.Optional(Type.Union([Slug, Type.Null()], { description: 'Slug of the place this one lies in.' })),
    latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90, description: 'WGS 84 latitude in degrees.' })),
    longitude: Type.Optional(
      Type.Number({ minimum: -180, maximum: 180, description: 'WGS 84 longitude in degrees.' }),
    ),
    timeZone: Type.Optional(
      NonEmpty('IANA time zone, e.g. "Asia/Damascus"; places without one use their parent\'s.', 64),
    ),
  },
  { additionalProperties: false, description: 'A place where events happen.' },
);

/** A person, state, armed group or organization that takes part in events. */
export const ActorRecord = Type.Object(
  {
    slug: Slug,
    name: NonEmpty('Name, as the sources write it.', 200),
    kind: enumOf(ACTOR_KINDS, 'What kind of actor this is.'),
    description: Type.Optional(NonEmpty('Who this is, e.g. "Foreign Minister of Russia".', 500)),
    affiliation: Type.Optional(Slug),
  },
  { additionalProperties: false, description: 'An actor in events.' },
);

/** A news outlet, agency, monitoring group or official body that reports events. */
export const SourceRecord = Type.Object(
  {
    slug: Slug,
    name: NonEmpty('Name of the source.', 200),
    kind: enumOf(SOURCE_KINDS, 'What kind of source this is.'),
    description: Type.Optional(NonEmpty('Who the source is, e.g. "London-based monitoring group".', 500)),
    url: Type.Optional(NonEmpty('Where the source can be read.', 2000)),
  },
  { additionalProperties: false, description: 'A source of reports.' },
);

/** An actor's part in an event. */
export const ParticipantRecord = Type.Object(
  {
    actor: Slug,
    role: enumOf(PARTICIPANT_ROLES, 'The part the actor played.'),
    /** Slug of the source that says so, when one source alone says this actor played this part. */
    reportedBy: Type.Optional(Slug),
  },
  { additionalProperties: false },
);

/** A casualty figure exactly as one source gave it. */
export const CasualtyRecord = Type.Object(
  {
    kind: enumOf(CASUALTY_KINDS, 'Killed or injured.'),
    count: Type.Integer({ minimum: 0, description: 'The number the source gave.' }),
    qualifier: enumOf(COUNT_QUALIFIERS, 'How the source qualified the number: "at least 50" is AT_LEAST.'),
    victims: NonEmpty('Who the victims were, in the source\'s words.', 500),
    reportedBy: Slug,
  },
  { additionalProperties: false },
);

/** What one source reported about an event. */
export const AttributionRecord = Type.Object(
  {
    source: Slug,
    claim: Type.Optional(NonEmpty('What this source reported, in brief.', 5000)),
  },
  { additionalProperties: false },
);

/** Words someone said, as reported. */
export const QuoteRecord = Type.Object(
  {
    text: NonEmpty('The words, exactly as reported.', 5000),
    speaker: Slug,
    reportedBy: Type.Optional(Slug),
  },
  { additionalProperties: false },
);

/** Why, when and by whom an event was retracted; kept in the event's file, so that the folder alone says it. */
export const RetractionRecord = Type.Object(
  {
    at: Type.String({ format: 'date-time', description: 'RFC 3339 instant of the retraction.' }),
    editor: NonEmpty('Name of the editor who retracted it.', 200),
    reason: NonEmpty('Why it was retracted.', 5000),
  },
  { additionalProperties: false, description: 'Set while the event is retracted: it then leaves lists, counts and exports.' },
);

/** One dated event, as stored in `events/<date>-<slug>.json` or as one line of an NDJSON file. */
export const EventRecord = Type.Object(
  {
    slug: Slug,
    title: NonEmpty('Headline of the event.', 300),
    summary: NonEmpty('A few sentences on what happened, from the sources.'),
    category: enumOf(EVENT_CATEGORIES, 'What kind of event this is.'),
    date: CalendarDate,
    underWay: Type.Optional(
      Type.Boolean({
        description: 'True when the sources say only that the event was under way on date, not when it began; date is then not its first day.',
      }),
    ),
    endDate: Type.Optional(CalendarDate),
    precision: enumOf(DATE_PRECISIONS, 'How exactly the time is known.'),
    partOfDay: Type.Optional(enumOf(PARTS_OF_DAY, 'Part of the day, when precision is PART_OF_DAY.')),
    startsAt: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'RFC 3339 instant with offset; only when precision is HOUR or MINUTE.',
      }),
    ),
    displayDate: Type.Optional(
      NonEmpty('How a person would say the date; derived from date and precision when left out.', 200),
    ),
    place: Slug,
    places: Type.Optional(Type.Array(Slug, { description: 'Other places involved, besides the main place.' })),
    participants: Type.Optional(Type.Array(ParticipantRecord)),
    casualties: Type.Optional(Type.Array(CasualtyRecord)),
    sources: Type.Array(AttributionRecord, { minItems: 1, description: 'Who reported it; at least one.' }),
    quotes: Type.Optional(Type.Array(QuoteRecord)),
    related: Type.Optional(Type.Array(Slug, { description: 'Slugs of related events.' })),
    retraction: Type.Optional(RetractionRecord),
  },
  { additionalProperties: false, description: 'A dated news event.' },
);

const SchemaRef = Type.Optional(Type.String({ description: 'Path of the JSON Schema for this file, for editors.' }));

/** `events/places.json`: every place, defined once. */
export const PlacesFile = Type.Object(
  { $schema: SchemaRef, places: Type.Array(PlaceRecord) },
  { additionalProperties: false, description: 'All places, each defined once.' },
);
/** `events/actors.json`: every actor, defined once. */
export const ActorsFile = Type.Object(
  { $schema: SchemaRef, actors: Type.Array(ActorRecord) },
  { additionalProperties: false, description: 'All actors, each defined once.' },
);
/** `events/sources.json`: every source, defined once. */
export const SourcesFile = Type.Object(
  { $schema: SchemaRef, sources: Type.Array(SourceRecord) },
  { additionalProperties: false, description: 'All sources, each defined once.' },
);
/** One event file: the event itself, with an optional `$schema` for editors. */
export const EventFile = Type.Composite([Type.Object({ $schema: SchemaRef }), EventRecord], {
  additionalProperties: false,
  description: 'A dated news event.',
});

export type PlaceRecord = Static<typeof PlaceRecord>;
export type ActorRecord = Static<typeof ActorRecord>;
export type SourceRecord = Static<typeof SourceRecord>;
export type ParticipantRecord = Static<typeof ParticipantRecord>;
export type CasualtyRecord = Static<typeof CasualtyRecord>;
export type AttributionRecord = Static<typeof AttributionRecord>;
export type QuoteRecord = Static<typeof QuoteRecord>;
export type EventRecord = Static<typeof EventRecord>;
export type RetractionRecord = Static<typeof RetractionRecord>;

/** The JSON Schema files written to `events/schema/`, by file name. */
export const DATA_FILE_SCHEMAS: Record<string, TSchema> = {
  'event.schema.json': EventFile,
  'places.schema.json': PlacesFile,
  'actors.schema.json': ActorsFile,
  'sources.schema.json': SourcesFile,
};
