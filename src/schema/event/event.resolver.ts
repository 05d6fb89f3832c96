/** Root event fields and the relations of `Event`; each turns its arguments into one store call. */
import type { CommittedChange } from '../../data/change';
import { RevisionConnection } from '../change/revision.type';
import { revisionsPage, REVISIONS_DESCRIPTION } from '../change/revisions';
import { ConnectionArgs } from '../connection/connection.args';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Event as EventData } from '../../data/dataset';
import type { TimelineDay as TimelineDayData } from '../../store/event-store-types';
import { toConnection, type ConnectionValue } from '../connection/connection.type';
import type { DatelineContext } from '../context';
import { globalId } from '../node/global-id';
import { Place } from '../place/place.type';
import { EventConnection } from './event-connection.type';
import { Attribution, CasualtyReport, Event, Participant, Quote } from './event.type';
import { EventsArgs } from './events.args';
import { TimelineArgs, TimelineDay } from './timeline.type';

/** Resolves `events`, `event`, `timeline` and the fields of `Event` that point elsewhere. */
@Resolver(() => Event)
export class EventResolver {
  @Query(() => EventConnection, { description: 'Events matching a filter, a page at a time, oldest first unless orderBy says otherwise.' })
  events(@Args() { filter, orderBy, ...page }: EventsArgs, @Ctx() { store }: DatelineContext): ConnectionValue<EventData> {
    // Cursors encoded only when the query reads them (a page of `nodes` reads none).
    return toConnection(store.query(filter ?? {}, orderBy ?? undefined, page, undefined, true));
  }

  @Query(() => Event, { nullable: true, description: 'The event with this slug, or null when there is none.' })
  event(@Arg('slug', { description: 'The event\'s slug, e.g. "idlib-air-strike".' }) slug: string, @Ctx() { store }: DatelineContext): EventData | null {
    return store.event(slug) ?? null;
  }

  @Query(() => [TimelineDay], { description: 'Matching events grouped by local date, one entry per date that has events, ascending. At most 366 days per call.' })
  timeline(@Args() { from, to, filter }: TimelineArgs, @Ctx() { store }: DatelineContext): (TimelineDayData & { eventCount: number })[] {
    return store.timeline(from, to, filter ?? {}).map((day) => ({ ...day, eventCount: day.events.length }));
  }

  @FieldResolver(() => ID, { description: 'Opaque global ID, stable across restarts; pass it to node(id:).' })
  id(@Root() event: EventData): string {
    return globalId('Event', event.slug);
  }

  @FieldResolver(() => RevisionConnection, { description: REVISIONS_DESCRIPTION })
  revisions(@Root() event: EventData, @Args() page: ConnectionArgs, @Ctx() ctx: DatelineContext): ConnectionValue<CommittedChange> {
    return revisionsPage('Event', event.slug, page, ctx);
  }

  @FieldResolver(() => Place, { description: 'The main place of the event.' })
  place(@Root() event: EventData, @Ctx() { store }: DatelineContext) {
    return store.place(event.place)!;
  }

  @FieldResolver(() => [Place], { description: 'Every place involved, the main place first.' })
  places(@Root() event: EventData, @Ctx() { store }: DatelineContext) {
    return event.places.map((slug) => store.place(slug)!);
  }

  @FieldResolver(() => [Participant], { description: 'Who took part, and in what role.' })
  participants(@Root() event: EventData, @Ctx() { store }: DatelineContext) {
    return event.participants.map((p) => ({ role: p.role, actor: store.actor(p.actor)!, reportedBy: p.reportedBy ? store.source(p.reportedBy) : undefined }));
  }

  @FieldResolver(() => [CasualtyReport], { description: 'Casualty figures, each as one source gave it; figures from different sources stand side by side.' })
  casualties(@Root() event: EventData, @Ctx() { store }: DatelineContext) {
    return event.casualties.map((c) => ({ ...c, reportedBy: store.source(c.reportedBy)! }));
  }

  @FieldResolver(() => [Attribution], { description: 'The sources that reported the event, and what each reported.' })
  sources(@Root() event: EventData, @Ctx() { store }: DatelineContext) {
    return event.sources.map((a) => ({ claim: a.claim, source: store.source(a.source)! }));
  }

  @FieldResolver(() => [Quote], { description: 'Words said at or about the event, as reported.' })
  quotes(@Root() event: EventData, @Ctx() { store }: DatelineContext) {
    return event.quotes.map((q) => ({
      text: q.text,
      speaker: store.actor(q.speaker)!,
      reportedBy: q.reportedBy ? store.source(q.reportedBy) : undefined,
    }));
  }

  @FieldResolver(() => [Event], { description: 'Other events the sources connect with this one.' })
  related(@Root() event: EventData, @Ctx() { store }: DatelineContext) {
    return event.related.map((slug) => store.event(slug)!);
  }
}
