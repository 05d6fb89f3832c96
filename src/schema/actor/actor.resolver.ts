/** Root actor fields and the relations of `Actor`. */
import type { CommittedChange } from '../../data/change';
import { RevisionConnection } from '../change/revision.type';
import { revisionsPage, REVISIONS_DESCRIPTION } from '../change/revisions';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Actor as ActorData, Event as EventData } from '../../data/dataset';
import { ConnectionArgs } from '../connection/connection.args';
import { toConnection, type ConnectionValue } from '../connection/connection.type';
import type { DatelineContext } from '../context';
import { EventConnection } from '../event/event-connection.type';
import { EntityEventsArgs } from '../event/events.args';
import { globalId } from '../node/global-id';
import { ActorConnection } from './actor-connection.type';
import { Actor } from './actor.type';

/** Resolves `actors`, `actor` and the fields of `Actor` that point elsewhere. */
@Resolver(() => Actor)
export class ActorResolver {
  @Query(() => ActorConnection, { description: 'All actors, a page at a time, by slug.' })
  actors(@Args() page: ConnectionArgs, @Ctx() { store }: DatelineContext): ConnectionValue<ActorData> {
    return toConnection(store.actorList(page));
  }

  @Query(() => Actor, { nullable: true, description: 'The actor with this slug, or null when there is none.' })
  actor(@Arg('slug', { description: 'The actor\'s slug, e.g. "sergei-lavrov".' }) slug: string, @Ctx() { store }: DatelineContext): ActorData | null {
    return store.actor(slug) ?? null;
  }

  @FieldResolver(() => ID, { description: 'Opaque global ID, stable across restarts; pass it to node(id:).' })
  id(@Root() actor: ActorData): string {
    return globalId('Actor', actor.slug);
  }

  @FieldResolver(() => RevisionConnection, { description: REVISIONS_DESCRIPTION })
  revisions(@Root() actor: ActorData, @Args() page: ConnectionArgs, @Ctx() ctx: DatelineContext): ConnectionValue<CommittedChange> {
    return revisionsPage('Actor', actor.slug, page, ctx);
  }

  @FieldResolver(() => Actor, { nullable: true, description: 'Whom the actor belongs to or acts for, e.g. a minister\'s state.' })
  affiliation(@Root() actor: ActorData, @Ctx() { store }: DatelineContext): ActorData | null {
    return actor.affiliation ? store.actor(actor.affiliation)! : null;
  }

  @FieldResolver(() => EventConnection, { description: 'Events in which this actor took part or was quoted.' })
  events(@Root() actor: ActorData, @Args() { orderBy, ...page }: EntityEventsArgs, @Ctx() { store }: DatelineContext): ConnectionValue<EventData> {
    return toConnection(store.query({ actors: [actor.slug] }, orderBy ?? undefined, page, undefined, true));
  }
}
