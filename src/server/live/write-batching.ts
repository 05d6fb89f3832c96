/**
 * Coalesces the writes of many live connections. Each write to a socket is a system call, and on this 2-core machine
 * one costs about 15 us: at 100 changes/s to 1,000 subscribers, more CPU than the server has. So a connection written
 * to is corked, and all corked connections are flushed together at most once per window: a change that comes after
 * a quiet spell goes out on the next turn of the event loop, while changes that come faster share one write per
 * connection (at 100/s and a 25 ms window, about three changes per system call).
 */

/** A socket or HTTP response: both buffer writes while corked and send them together on uncork. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** Milliseconds between two flushes of the same batch of connections; the most a change waits for company. */
export const WRITE_WINDOW_MS = 25;

/** Holds written connections corked until the next flush; one per process, shared by both transports. */
export class WriteBatcher {
  private readonly held = new Set<Corkable>();
  private scheduled = false;
  private lastFlush = -Infinity;

  constructor(private readonly windowMs = WRITE_WINDOW_MS) {}

  /** Call before writing to `target`: its writes wait for the next flush. */
  hold(target: Corkable): void {
    if (this.held.has(target)) return;
    target.cork();
    this.held.add(target);
    if (!this.scheduled) this.schedule();
  }

  /** Sends everything held now (the server stopping). */
  flush = (): void => {
    this.scheduled = false;
    this.lastFlush = performance.now();
    const held = [...this.held];
    this.held.clear();
    for (const target of held) target.uncork();
  };

  private schedule(): void {
    this.scheduled = true;
    const wait = this.lastFlush + this.windowMs - performance.now();
    if (wait <= 0) setImmediate(this.flush);
    else setTimeout(this.flush, wait);
  }
}
