/**
 * `Subscription.eventChanged`: every change to an event that matched the subscriber's filter before or after it,
 * read from the live change stream through the subscriber's bounded queue; a subscriber that falls behind gets one
 * RESYNC error with the cursor to resume the change feed from.
 */
import { GraphQLError, isInterfaceType, type GraphQLSchema } from 'graphql';
import { Arg, Resolver, Root, Subscription } from 'type-graphql';
import type { CommittedChange } from '../../data/change';
import type { Event } from '../../data/dataset';
import type { LiveChanges } from '../../live/live-changes';
import { ResyncNeeded, type PublishedChange, type SubscriberQueue } from '../../live/subscriber-queue';
import type { EventFilter } from '../../store/event-filter';
import { numberCursor } from '../connection/numbered-page';
import type { DatelineContext } from '../context';
import { EventFilterInput } from '../event/event-filter.input';
import { nodeTypeName } from '../node/node.interface';
import { CHANGE_CURSOR_KIND } from './change.resolver';
import { Change } from './change.type';

/** Error code of a subscription ended because its subscriber fell behind; the extensions carry `cursor`. */
export const RESYNC = 'RESYNC';

/** The context subscriptions run in: a request's context and the live change stream. */
export interface LiveContext extends DatelineContext {
  live: LiveChanges;
  /** Most changes waiting for one subscriber (setting LIVE_QUEUE_LIMIT); the stream's own default when absent. */
  queueLimit?: number;
}

/** The RESYNC error for a subscriber that fell behind. */
export function resyncError(notice: ResyncNeeded): GraphQLError {
  const cursor = numberCursor(CHANGE_CURSOR_KIND, notice.lastSeq);
  return new GraphQLError(
    `This subscription fell more than ${notice.queueLimit} changes behind and was ended rather than buffer more. ` +
      `Read what it missed with changes(after: "${cursor}") and subscribe again.`,
    { extensions: { code: RESYNC, cursor, queueLimit: notice.queueLimit } },
  );
}

/** An event's verdicts for the data version they were made under, by filter. */
interface Verdicts {
  version: string;
  byFilter: Map<string, boolean>;
}

/** Each event's verdicts: a change is tested once per distinct filter, not once per subscriber. */
const verdicts = new WeakMap<Event, Verdicts>();
/** Most verdicts kept per event (distinct filters among the subscribers). */
const MAX_VERDICTS = 256;

/**
 * `store.matches(filter, event)`, remembered for subscribers with the same filter while the data version stays (the
 * catalogue a filter is read with may change with it). Nothing is built per subscriber and change but the lookups.
 */
function matcher(store: LiveContext['store'], filter: EventFilter): (event: Event | null | undefined) => boolean {
  const filterKey = JSON.stringify(filter);
  return (event) => {
    if (event == null) return false;
    let known = verdicts.get(event);
    if (known?.version !== store.version) verdicts.set(event, (known = { version: store.version, byFilter: new Map() }));
    let verdict = known.byFilter.get(filterKey);
    if (verdict === undefined) {
      verdict = store.matches(filter, event);
      if (known.byFilter.size < MAX_VERDICTS) known.byFilter.set(filterKey, verdict);
    }
    return verdict;
  };
}

/** A new subscriber's queue of the event changes `filter` is about, before or after each change. */
export function followEventChanges(ctx: LiveContext, filter: EventFilter): SubscriberQueue<PublishedChange> {
  // The store's own check, so a bad filter gets the message the events query gives, whatever the data holds.
  ctx.store.checkFilter(filter);
  const { store } = ctx;
  const matches = matcher(store, filter);
  return ctx.live.subscribe({
    queueLimit: ctx.queueLimit,
    accepts: ({ change, eventBefore, eventAfter }) =>
      change.entity.type === 'Event' && (matches(eventBefore) || matches(eventAfter === undefined ? store.event(change.entity.slug) : eventAfter)),
  });
}

/** A published change's answer: the change itself, or the RESYNC error for a subscriber that fell behind. */
export function changeOf(item: PublishedChange | ResyncNeeded): CommittedChange {
  if (item instanceof ResyncNeeded) throw resyncError(item);
  return item.change;
}

/**
 * Makes `schema` answer a change synchronously, for subscriptions only. type-graphql makes two steps of every change's
 * answer async: it passes `eventChanged`'s arguments through an async conversion before calling the method (which
 * only reads the root: the filter is used when subscribing), and it wraps `resolveType` of `Change.entity`'s `Node`
 * interface in an async function. Calling {@link changeOf} and {@link nodeTypeName} directly gives the same answer at
 * once, so one change reaches every subscriber in the publisher's own pass, before the mutation is answered.
 */
export function answerChangesAtOnce(schema: GraphQLSchema): void {
  const field = schema.getSubscriptionType()?.getFields().eventChanged;
  const node = schema.getType('Node');
  if (!field || !isInterfaceType(node)) throw new Error('The schema has no Subscription.eventChanged or no Node interface');
  field.resolve = (root: PublishedChange | ResyncNeeded) => changeOf(root);
  node.resolveType = nodeTypeName;
}

/** Resolves `Subscription.eventChanged`. */
@Resolver()
export class EventChangedResolver {
  @Subscription(() => Change, {
    description:
      'Every change to an event that matched the filter before or after it (so an event that leaves the filter, e.g. by retraction, is delivered once more), as it is committed, whoever made it. ' +
      'Served over WebSocket (graphql-transport-ws) at /graphql and over Server-Sent Events at /graphql/stream. A subscriber that falls too far behind gets an error with code RESYNC ' +
      'and extensions.cursor; pass that cursor (or the cursor of the last change received) to changes(after:) to read what was missed.',
    subscribe: ({ args, context }) => followEventChanges(context as LiveContext, ((args as { filter?: EventFilter | null }).filter ?? {}) as EventFilter),
  })
  eventChanged(
    @Root() item: PublishedChange | ResyncNeeded,
    @Arg('filter', () => EventFilterInput, { nullable: true, description: 'Which events to follow, as for the events query; every event when left out. Retracted events are followed only with includeRetracted, but a retraction itself is delivered, as the event matched before it.' })
    _filter?: EventFilterInput | null,
  ): CommittedChange {
    return changeOf(item);
  }
}
