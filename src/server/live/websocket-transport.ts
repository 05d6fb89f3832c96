/**
 * GraphQL over WebSocket (graphql-ws, protocol `graphql-transport-ws`) on the HTTP server at `/graphql`. The upgrade
 * is checked here (path, origin, connection limit) before a socket exists; graphql-ws' `makeServer` speaks the
 * protocol (init timeout 4408, subscribe before init 4401, bad message 4400, duplicate id 4409) on a `ws` socket
 * glued here, so that pings, close codes and log lines are the service's own.
 */
import { CloseCode, handleProtocols, makeServer, type Context, type FormattedExecutionResult, type SubscribePayload } from 'graphql-ws';
import type { GraphQLError } from 'graphql';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { limitError } from '../hardening/limit-error';
import { originAllowed, originRefusal } from './connection-guard';
import { DirectSubscription, type FrameSink } from './direct-subscription';
import type { SharedAnswer } from './shared-answers';
import { frameHead, nextPrefix, nextTail, senderIdle } from './websocket-frames';
import type { Corkable, WriteBatcher } from './write-batching';
import type { TransportDeps } from './transport-deps';

/** Close code of a connection refused because the server holds its most connections (RFC 6455 "Try Again Later"). */
export const CLOSE_TRY_AGAIN_LATER = 1013;
/** Close code of every socket when the server stops ("Going Away"). */
export const CLOSE_GOING_AWAY = 1001;

/**
 * Bytes a socket may hold unsent before its subscriptions stop writing and wait (their changes then wait in their
 * bounded queues): as much as Node buffers for a stream by default, so a stalled client costs little more than its queue.
 */
const SOCKET_HIGH_WATER = 16 * 1024;

/** What the WebSocket transport needs from the server. */
export interface WebSocketTransportDeps extends TransportDeps {
  httpServer: Server;
  /** URL path of the endpoint; upgrades elsewhere are refused with 404. */
  path: string;
}

/** The running transport. */
export interface WebSocketTransport {
  /** Open sockets. */
  readonly socketCount: number;
  /**
   * Stops taking sockets, waits (at most `graceMs`) for running subscriptions to finish sending what they have, then
   * closes every socket with 1001 and cuts those that do not close.
   */
  close(graceMs: number): Promise<void>;
}

type SocketContext = Context<Record<string, unknown> | undefined, { socket: WebSocket; request: IncomingMessage }>;

/** Answers an upgrade request with a plain HTTP error, before any WebSocket exists. */
function refuseUpgrade(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: status === 403 ? 'FORBIDDEN' : 'NOT_FOUND' } }] });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` or `ms` have passed, looking every 20 ms; for shutdown only. */
async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await sleep(Math.min(20, Math.max(1, deadline - Date.now())));
}

/** Mounts the transport on `deps.httpServer`'s upgrade event. */
export function createWebSocketTransport(deps: WebSocketTransportDeps): WebSocketTransport {
  const { options, logger, connections } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxBodyBytes, perMessageDeflate: false, handleProtocols });
  const contexts = new Set<SocketContext>();
  let stopping = false;

  const server = makeServer<Record<string, unknown> | undefined, { socket: WebSocket; request: IncomingMessage }>({
    connectionInitWaitTimeout: options.liveConnectionInitTimeoutMs,
    onConnect: (ctx) => {
      contexts.add(ctx);
    },
    onClose: (ctx) => {
      contexts.delete(ctx);
    },
    onSubscribe: (ctx, _id, payload: SubscribePayload) => {
      // graphql-ws has already registered this id, so the count includes it.
      const running = Object.keys(ctx.subscriptions).length;
      const max = options.liveMaxSubscriptionsPerConnection;
      if (running > max) return [tooManySubscriptions(running, max)];
      const prepared = deps.prepare(payload);
      if ('errors' in prepared) return prepared.errors;
      return { ...prepared.args, contextValue: deps.context() };
    },
    subscribe: (args) => deps.subscribe(args),
    // Changes are written to the socket directly; graphql-ws keeps the subscription and sends its `complete`.
    onOperation: (ctx, id, _payload, _args, result) => {
      if (result instanceof DirectSubscription) result.deliverTo(socketSink(ctx.extra.socket, id, deps.batcher));
    },
    onError: (_ctx, _id, _payload, errors) => deps.formatErrors(errors),
    // Only for an answer that is not a running subscription (one its resolver refused, e.g. for a bad filter).
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? (deps.formatResult(result) as FormattedExecutionResult) : undefined),
  });

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    socket.on('error', (err) => logger.debug({ err }, 'live: WebSocket protocol error; ws closes the socket'));
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(String(data)).catch((err: unknown) => {
              logger.error({ err }, 'live: unexpected error while handling a WebSocket message');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
      },
      { socket, request },
    );
    const ping = keepAlive(socket, options.livePingIntervalMs);
    socket.once('close', (code, reason) => {
      if (ping) clearInterval(ping);
      connections.release();
      void closed(code, reason.toString());
    });
  });

  deps.httpServer.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = (request.url ?? '').split('?')[0];
    if (pathname !== deps.path) return refuseUpgrade(socket, 404, 'Not Found', `No WebSocket endpoint at ${pathname}; subscriptions are at ${deps.path}.`);
    const origin = request.headers.origin;
    if (!originAllowed(origin, options.corsOrigins, request.headers.host)) return refuseUpgrade(socket, 403, 'Forbidden', originRefusal(origin!));
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (stopping) return ws.close(CLOSE_GOING_AWAY, 'The server is shutting down; connect again to another replica or later.');
      if (!connections.tryOpen()) return ws.close(CLOSE_TRY_AGAIN_LATER, `Too many connections: this server takes at most ${connections.max}; try again later`);
      wss.emit('connection', ws, request);
    });
  });

  return {
    get socketCount() {
      return wss.clients.size;
    },
    async close(graceMs) {
      stopping = true;
      const deadline = Date.now() + graceMs;
      // Running subscriptions end once they have sent what was queued for them (the change stream is closed first).
      await waitUntil(() => [...contexts].every((ctx) => Object.keys(ctx.subscriptions).length === 0), graceMs);
      for (const socket of wss.clients) socket.close(CLOSE_GOING_AWAY, 'The server is shutting down; reconnect and resume with changes(after:).');
      await waitUntil(() => wss.clients.size === 0, Math.max(0, deadline - Date.now()));
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * Writes a subscription's `next` messages to `socket` as graphql-ws would frame them, with the shared answer's bytes
 * (`websocket-frames.ts`: encoded once per answer for every socket) after a small head of its own, and sends them with
 * the socket's other writes of the window (`write-batching.ts`). While ws' sender holds something back, the message
 * goes through ws instead, so frames keep their order.
 */
function socketSink(socket: WebSocket, id: string, batcher: WriteBatcher): FrameSink {
  const prefix = nextPrefix(id);
  // ws writes each frame to this TCP socket; corked, the frames of one window leave in one system call.
  const tcp = (socket as unknown as { _socket: Corkable & Duplex })._socket;
  return {
    write(answer: SharedAnswer, resume: () => void): boolean {
      // A closing socket takes nothing more; its close completes the subscription.
      if (socket.readyState !== socket.OPEN) return true;
      batcher.hold(tcp);
      const tail = answer.frame(nextTail);
      // The callback comes once this frame has left for the kernel: the client is reading again.
      const fits = socket.bufferedAmount + prefix.length + tail.length < SOCKET_HIGH_WATER;
      const done = fits ? undefined : () => resume();
      if (senderIdle(socket)) {
        tcp.write(frameHead(prefix, tail.length));
        tcp.write(tail, done);
      } else socket.send(Buffer.concat([prefix, tail]), { binary: false }, done);
      return fits;
    },
  };
}

/** The LIMIT_EXCEEDED error of one subscription too many on a socket. */
function tooManySubscriptions(running: number, max: number): GraphQLError {
  return limitError(
    { name: 'subscriptionsPerConnection', max, actual: running },
    `This connection already runs ${max} subscriptions, the most one WebSocket may (setting LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION); complete one first or open another connection.`,
  );
}

/** Pings the socket every `intervalMs`; a socket that has not answered the previous ping is cut. */
function keepAlive(socket: WebSocket, intervalMs: number): NodeJS.Timeout | null {
  if (intervalMs <= 0) return null;
  let answered = true;
  socket.on('pong', () => (answered = true));
  return setInterval(() => {
    if (!answered) return socket.terminate();
    answered = false;
    socket.ping();
  }, intervalMs);
}
