/** The limits of live updates (subscriptions over WebSocket and Server-Sent Events); `config.ts` reads each from the environment. */
import { DEFAULT_QUEUE_LIMIT } from '../../live/live-changes';

/** Every live-update setting. */
export interface LiveOptions {
  /** Most open subscription connections (WebSockets and event streams together); one more is refused. */
  liveMaxConnections: number;
  /** Most subscriptions running at once on one WebSocket; one more is answered with an error. */
  liveMaxSubscriptionsPerConnection: number;
  /** Milliseconds a WebSocket has to send `connection_init` before it is closed with 4408. */
  liveConnectionInitTimeoutMs: number;
  /**
   * Milliseconds between pings to a WebSocket; one that has not answered by the next ping is cut. An event stream
   * that cannot take a message for this long is cut too. 0 turns both off.
   */
  livePingIntervalMs: number;
  /** Most changes waiting for one subscriber; one more ends its subscription with a RESYNC error. */
  liveQueueLimit: number;
}

/** The defaults, also the defaults of the settings in `config.ts`. */
export const DEFAULT_LIVE: LiveOptions = {
  liveMaxConnections: 10_000,
  liveMaxSubscriptionsPerConnection: 20,
  liveConnectionInitTimeoutMs: 5_000,
  livePingIntervalMs: 15_000,
  liveQueueLimit: DEFAULT_QUEUE_LIMIT,
};
