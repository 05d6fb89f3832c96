/** What every resolver is given: the store to read from. */
import type { EventStore } from '../store/event-store';

/** The per-request context; resolvers read data only through `store`. */
export interface DatelineContext {
  store: EventStore;
}
