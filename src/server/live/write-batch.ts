/**
 * Writing to many clients cheaply. Each write to a socket is a system call, and with a thousand subscribers every
 * change is a thousand of them: that, not GraphQL, was most of a change's cost. So the sends of one turn of the event
 * loop are held (`cork`) and each socket is written once when the turn ends (`uncork` in `setImmediate`), carrying
 * every message it was given; the live stream hands changes out in batches (src/live) so that a turn has several.
 * And a transport does not wait for each write to finish before taking the next change: it waits only while the
 * socket's buffer is over its high-water mark, which is what keeps a client that stops reading from being sent more.
 */

/** What both transports write to: a socket, or an HTTP response on one. */
export interface Drainable {
  readonly writable: boolean;
  readonly writableNeedDrain: boolean;
  on(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/** A socket that can hold its writes. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

const held = new Set<Corkable>();

function release(): void {
  const sockets = [...held];
  held.clear();
  for (const socket of sockets) socket.uncork();
}

/** Holds `socket`'s writes until the current turn of the event loop ends, then writes them together. */
export function holdWritesThisTurn(socket: Corkable): void {
  if (held.has(socket)) return;
  if (held.size === 0) setImmediate(release);
  socket.cork();
  held.add(socket);
}

/**
 * Resolves true once `stream` can take more (at once when it can now), or when it closed; false when it could not
 * within `ms` (0: wait as long as it takes).
 */
export function writable(stream: Drainable, ms: number): Promise<boolean> {
  if (!stream.writableNeedDrain || !stream.writable) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      stream.off('drain', onDrain);
      stream.off('close', onDrain);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const timer = ms > 0 ? setTimeout(() => done(false), ms) : undefined;
    stream.on('drain', onDrain);
    stream.on('close', onDrain);
  });
}
