/** Root source fields and the relations of `Source`. */
import type { CommittedChange } from '../../data/change';
import { RevisionConnection } from '../change/revision.type';
import { revisionsPage, REVISIONS_DESCRIPTION } from '../change/revisions';
import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Event as EventData, Source as SourceData } from '../../data/dataset';
import { ConnectionArgs } from '../connection/connection.args';
import { toConnection, type ConnectionValue } from '../connection/connection.type';
import type { DatelineContext } from '../context';
import { EventConnection } from '../event/event-connection.type';
import { EntityEventsArgs } from '../event/events.args';
import { globalId } from '../node/global-id';
import { SourceConnection } from './source-connection.type';
import { Source } from './source.type';

/** Resolves `sources`, `source` and the fields of `Source` that point elsewhere. */
@Resolver(() => Source)
export class SourceResolver {
  @Query(() => SourceConnection, { description: 'All sources, a page at a time, by slug.' })
  sources(@Args() page: ConnectionArgs, @Ctx() { store }: DatelineContext): ConnectionValue<SourceData> {
    return toConnection(store.sourceList(page));
  }

  @Query(() => Source, { nullable: true, description: 'The source with this slug, or null when there is none.' })
  source(@Arg('slug', { description: 'The source\'s slug, e.g. "syrian-observatory-for-human-rights".' }) slug: string, @Ctx() { store }: DatelineContext): SourceData | null {
    return store.source(slug) ?? null;
  }

  @FieldResolver(() => ID, { description: 'Opaque global ID, stable across restarts; pass it to node(id:).' })
  id(@Root() source: SourceData): string {
    return globalId('Source', source.slug);
  }

  @FieldResolver(() => RevisionConnection, { description: REVISIONS_DESCRIPTION })
  revisions(@Root() source: SourceData, @Args() page: ConnectionArgs, @Ctx() ctx: DatelineContext): ConnectionValue<CommittedChange> {
    return revisionsPage('Source', source.slug, page, ctx);
  }

  @FieldResolver(() => EventConnection, { description: 'Events this source reported: as a whole, by a casualty figure or by a quote.' })
  events(@Root() source: SourceData, @Args() { orderBy, ...page }: EntityEventsArgs, @Ctx() { store }: DatelineContext): ConnectionValue<EventData> {
    return toConnection(store.query({ sources: [source.slug] }, orderBy ?? undefined, page, undefined, true));
  }
}
