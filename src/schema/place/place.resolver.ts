/** Root place fields and the relations of `Place`. */
import type { CommittedChange } from '../../data/change';
import { RevisionConnection } from '../change/revision.type';
import { revisionsPage, REVISIONS_DESCRIPTION } from '../change/revisions';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Event as EventData, Place as PlaceData } from '../../data/dataset';
import { ConnectionArgs } from '../connection/connection.args';
import { toConnection, type ConnectionValue } from '../connection/connection.type';
import type { DatelineContext } from '../context';
import { EventConnection } from '../event/event-connection.type';
import { EntityEventsArgs } from '../event/events.args';
import { globalId } from '../node/global-id';
import { PlaceConnection } from './place-connection.type';
import { Place } from './place.type';

/** Resolves `places`, `place` and the fields of `Place` that point elsewhere. */
@Resolver(() => Place)
export class PlaceResolver {
  @Query(() => PlaceConnection, { description: 'All places, a page at a time, by slug.' })
  places(@Args() page: ConnectionArgs, @Ctx() { store }: DatelineContext): ConnectionValue<PlaceData> {
    return toConnection(store.placeList(page));
  }

  @Query(() => Place, { nullable: true, description: 'The place with this slug, or null when there is none.' })
  place(@Arg('slug', { description: 'The place\'s slug, e.g. "damascus".' }) slug: string, @Ctx() { store }: DatelineContext): PlaceData | null {
    return store.place(slug) ?? null;
  }

  @FieldResolver(() => ID, { description: 'Opaque global ID, stable across restarts; pass it to node(id:).' })
  id(@Root() place: PlaceData): string {
    return globalId('Place', place.slug);
  }

  @FieldResolver(() => RevisionConnection, { description: REVISIONS_DESCRIPTION })
  revisions(@Root() place: PlaceData, @Args() page: ConnectionArgs, @Ctx() ctx: DatelineContext): ConnectionValue<CommittedChange> {
    return revisionsPage('Place', place.slug, page, ctx);
  }

  @FieldResolver(() => Place, { nullable: true, description: 'The place this one lies directly inside; null for a country.' })
  parent(@Root() place: PlaceData, @Ctx() { store }: DatelineContext): PlaceData | null {
    return place.parent === null ? null : store.place(place.parent)!;
  }

  @FieldResolver(() => [Place], { description: 'The places this one lies inside, nearest first, up to the country.' })
  ancestors(@Root() place: PlaceData, @Ctx() { store }: DatelineContext): PlaceData[] {
    return place.ancestors.map((slug) => store.place(slug)!);
  }

  @FieldResolver(() => [Place], { description: 'The places that lie directly inside this one, by slug.' })
  children(@Root() place: PlaceData, @Ctx() { store }: DatelineContext): PlaceData[] {
    return store.childrenOf(place.slug);
  }

  @FieldResolver(() => EventConnection, { description: 'Events at this place or at any place inside it.' })
  events(@Root() place: PlaceData, @Args() { orderBy, ...page }: EntityEventsArgs, @Ctx() { store }: DatelineContext): ConnectionValue<EventData> {
    return toConnection(store.query({ places: [place.slug] }, orderBy ?? undefined, page, undefined, true));
  }
}
