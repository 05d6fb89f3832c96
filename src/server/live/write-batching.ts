/**
 * Coalesces the writes of many live connections. Each write to a socket is a system call, and on this 2-core machine
 * one costs about 15 us: at 100 changes/s to 1,000 subscribers, more CPU than the server has. So a connection written
 * to is corked, and all corked connections are flushed together: after a quiet spell as soon as the publisher's pass
 * is done, else once the window since the last flush ends. Changes that come faster share one write per connection
 * (at 100/s and a 25 ms window, two or three changes per system call), and so do the changes of one group commit.
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

  /**
   * Call before writing to `target`: it is corked until the next flush. After a quiet spell the flush comes as soon
   * as the code that is writing returns (a microtask queued by the first write: after the publisher's whole pass and
   * before the mutation's answer, whose promises resolve later, as without batching), so several changes published
   * together (a group commit's) leave in one write per connection; within the window after a flush, the next one
   * comes when the window ends.
   */
  hold(target: Corkable): void {
    if (this.held.has(target)) return;
    target.cork();
    this.held.add(target);
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastFlush + this.windowMs - performance.now();
    if (wait <= 0) queueMicrotask(this.flush);
    else setTimeout(this.flush, wait);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    this.lastFlush = performance.now();
    const held = [...this.held];
    this.held.clear();
    for (const target of held) target.uncork();
  };
}
