/** What both live transports check before a connection may carry subscriptions: the page's origin and the connection count. */
import type { HardeningOptions } from '../hardening/options';

/** Counts open live connections (WebSockets and event streams together) against one limit. */
export class LiveConnections {
  private open = 0;

  constructor(readonly max: number) {}

  /** Open connections. */
  get count(): number {
    return this.open;
  }

  /** Takes a place for a new connection; false (and nothing taken) when the limit is reached. */
  tryOpen(): boolean {
    if (this.open >= this.max) return false;
    this.open++;
    return true;
  }

  /** Gives back a place taken by {@link tryOpen}; call once per connection, when it closes. */
  release(): void {
    this.open = Math.max(0, this.open - 1);
  }

  /** The message that refuses a connection over the limit. */
  refusal(): string {
    return `The server already holds ${this.max} live connections, the most it takes (setting LIVE_MAX_CONNECTIONS); try again later or another replica.`;
  }
}

/**
 * Whether a page from `origin` may start subscriptions: CORS_ORIGINS decides, as for queries, and the server's own
 * pages (the origin names the host the request was sent to) always may. A request without an Origin header is not
 * from a page (a server, a command-line client), which CORS does not restrict either.
 */
export function originAllowed(origin: string | undefined, allowed: HardeningOptions['corsOrigins'], host: string | undefined): boolean {
  if (origin === undefined || allowed === '*' || allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** The message that refuses a page from a disallowed origin. */
export function originRefusal(origin: string): string {
  return `Pages from ${origin} may not subscribe to this server: the origin is not in CORS_ORIGINS.`;
}
