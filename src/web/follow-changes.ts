/**
 * Follows changes to the events the page shows, over Server-Sent Events: `Subscription.eventChanged` at
 * /graphql/stream (graphql-sse's distinct connections mode), read with the browser's own EventSource. Whenever the
 * stream was interrupted (network, a server restart, a RESYNC), the page is told to catch up by reading again.
 */

/** A change as the page asks for it. */
export interface LiveChange {
  cursor: string;
  kind: 'CREATED' | 'UPDATED' | 'RETRACTED' | 'RESTORED';
  at: string;
  entity: { slug?: string };
}

/** What the page does with the stream. */
export interface ChangeHandlers {
  /** A change to an event the filter is about. */
  change(change: LiveChange): void;
  /** Changes may have been missed (the stream was cut or fell behind): read the page's data again. */
  catchUp(): void;
  /** Whether changes are arriving live. */
  state(state: 'live' | 'reconnecting'): void;
}

const SUBSCRIPTION = `subscription FollowTimeline($filter: EventFilter) {
  eventChanged(filter: $filter) { cursor kind at entity { ... on Event { slug } } }
}`;

/** Milliseconds before opening a stream again after the server ended it or refused it. */
const REOPEN_AFTER_MS = 1000;

/** Starts following; `stop()` closes the stream for good (e.g. before following another filter). */
export function followChanges(filter: Record<string, unknown>, handlers: ChangeHandlers): { stop(): void } {
  const params = new URLSearchParams({ query: SUBSCRIPTION, variables: JSON.stringify({ filter }) });
  let source: EventSource | null = null;
  let stopped = false;
  let opened = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const reopen = () => {
    source?.close();
    handlers.state('reconnecting');
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(open, REOPEN_AFTER_MS);
  };

  function open(): void {
    const es = new EventSource(`/graphql/stream?${params}`);
    source = es;
    es.addEventListener('open', () => {
      handlers.state('live');
      // A stream opened again: whatever happened while it was down is read again.
      if (opened) handlers.catchUp();
      opened = true;
    });
    es.addEventListener('next', (event) => {
      const result = JSON.parse((event as MessageEvent<string>).data) as { data?: { eventChanged?: LiveChange } | null; errors?: { extensions?: { code?: string } }[] };
      if (result.data?.eventChanged) handlers.change(result.data.eventChanged);
      else if (result.errors?.length) handlers.catchUp();
    });
    // The server ended the subscription (it fell behind, or the server is stopping): follow again shortly.
    es.addEventListener('complete', reopen);
    es.addEventListener('error', () => {
      // EventSource retries a dropped connection by itself, but not a refused one.
      if (es.readyState === EventSource.CLOSED) reopen();
      else handlers.state('reconnecting');
    });
  }

  open();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    },
  };
}
