/**
 * GraphQL over Server-Sent Events (graphql-sse, distinct connections mode: one subscription per HTTP response) at
 * `/graphql/stream`, for EventSource-style clients and HTTP/1 proxies. Requests are checked here (method, Accept,
 * origin, connection limit, body size) before graphql-sse sees them; its single connection mode (stream
 * reservations with PUT) is not served, as it would keep server state for clients that never come back.
 */
import cors from 'cors';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ExecutionResult } from 'graphql';
import type { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { TOKEN_HEADER_KEY, TOKEN_QUERY_KEY } from 'graphql-sse';
import { createHandler } from 'graphql-sse/lib/use/express';
import { corsOptions, errorBody } from '../hardening/http-guards';
import { originAllowed, originRefusal } from './connection-guard';
import { DirectSubscription, type FrameSink } from './direct-subscription';
import type { SharedAnswer } from './shared-answers';
import type { WriteBatcher } from './write-batching';
import type { TransportDeps } from './transport-deps';

/** What the event-stream transport needs from the server. */
export type SseTransportDeps = TransportDeps;

/** The running transport. */
export interface SseTransport {
  /** The Express handlers to mount at the stream's path (before anything mounted on a prefix of it). */
  handlers: RequestHandler[];
  /** Open streams. */
  readonly streamCount: number;
  /** Stops taking streams and waits (at most `graceMs`) for open ones to end, then cuts the rest. */
  close(graceMs: number): Promise<void>;
}

const EVENT_STREAM = 'text/event-stream';

function refuse(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).json(errorBody(message, code));
}

/** What a stream is written to: the response, or its socket. */
type Target = Pick<Writable, 'writableNeedDrain' | 'writable' | 'on' | 'off'>;

/** Resolves once `res` can take more (or has closed); false when it could not within `ms` (0: wait as long as it takes). */
function writable(res: Target, ms: number): Promise<boolean> {
  if (!res.writableNeedDrain || !res.writable) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onDrain);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const timer = ms > 0 ? setTimeout(() => done(false), ms) : undefined;
    res.on('drain', onDrain);
    res.on('close', onDrain);
  });
}

/** An event stream's `next` message; the same bytes for every subscriber of one answer, so made once per answer. */
const nextEvent = (text: string): Buffer => Buffer.from(`event: next\ndata: ${text}\n\n`);

/** The same message as one HTTP/1.1 chunk (its size line, the message, CRLF), as the response would write it. */
const nextChunk = (text: string): Buffer => {
  const message = nextEvent(text);
  return Buffer.concat([Buffer.from(`${message.length.toString(16)}\r\n`), message, Buffer.from('\r\n')]);
};

/**
 * The response's socket when a chunk may be written to it straight (headers sent, chunked, nothing of the response's
 * own waiting to go out before it), else null. Through `res.write` a message is three writes (size line, message,
 * CRLF) and the response's bookkeeping; straight, it is one write of bytes made once for every subscriber.
 */
function rawSocket(res: Response): Socket | null {
  const own = res as unknown as { _headerSent?: boolean; chunkedEncoding?: boolean; outputData?: unknown[] };
  const socket = res.socket;
  return socket && !socket.destroyed && own._headerSent && own.chunkedEncoding && own.outputData?.length === 0 ? socket : null;
}

/**
 * Writes a subscription's `next` messages to `res` as graphql-sse would, with the response's other writes of the
 * window (`write-batching.ts`). Once the response holds more than it takes at once, the subscription waits for it
 * to drain (its changes wait in its bounded queue); a client that takes nothing for `ms` is cut (0: no limit).
 */
function streamSink(res: Response, ms: number, batcher: WriteBatcher): FrameSink {
  return {
    write(answer: SharedAnswer, resume: () => void): boolean {
      // A closed response takes nothing more; its close completes the subscription.
      if (!res.writable) return true;
      batcher.hold(res);
      const socket = rawSocket(res);
      const target: Target = socket ?? res;
      if (socket ? socket.write(answer.frame(nextChunk)) : res.write(answer.frame(nextEvent))) return true;
      void writable(target, ms).then((drained) => (drained ? resume() : res.destroy()));
      return false;
    },
  };
}

/**
 * Starts delivery once graphql-sse has sent the stream's headers, which it does just after the operation is set up;
 * changes published meanwhile wait in the subscriber's queue.
 */
function deliverOnceStarted(res: Response, subscription: DirectSubscription, ms: number, batcher: WriteBatcher): void {
  if (res.headersSent) return subscription.deliverTo(streamSink(res, ms, batcher));
  if (res.destroyed) return void subscription.return();
  setImmediate(() => deliverOnceStarted(res, subscription, ms, batcher));
}

/** Builds the handlers of `/graphql/stream`. */
export function createSseTransport(deps: SseTransportDeps): SseTransport {
  const { options, connections, logger } = deps;
  const open = new Set<Response>();
  let stopping = false;

  const handle = createHandler<Record<PropertyKey, unknown>>({
    // Checked by `prepare` already, with the service's rules and limits.
    validate: () => [],
    onSubscribe: (_req, params) => {
      const prepared = deps.prepare(params);
      if ('errors' in prepared) {
        return [JSON.stringify({ errors: deps.formatErrors(prepared.errors) }), { status: 400, statusText: 'Bad Request', headers: { 'content-type': 'application/json; charset=utf-8' } }];
      }
      return { ...prepared.args, contextValue: deps.context() as Record<PropertyKey, unknown> };
    },
    subscribe: (args) => deps.subscribe(args),
    // Changes are written to the response directly; graphql-sse keeps the subscription and sends its `complete`.
    onOperation: (_ctx, req, _args, result) => {
      if (result instanceof DirectSubscription) deliverOnceStarted(req.context.res, result, options.livePingIntervalMs, deps.batcher);
    },
    // Only for an answer that is not a running subscription (one its resolver refused, e.g. for a bad filter).
    onNext: (_ctx, _req, result) => (result.errors ? (deps.formatResult(result as ExecutionResult) as ExecutionResult) : undefined),
  });

  const guard: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    if (stopping) return refuse(res, 503, 'UNAVAILABLE', 'The server is shutting down; connect again to another replica or later.', { 'retry-after': '1' });
    if (req.method !== 'GET' && req.method !== 'POST') {
      return refuse(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not served at ${req.baseUrl}: open a stream with GET (query in the URL) or POST (JSON body).`, { allow: 'GET, POST' });
    }
    if (req.headers[TOKEN_HEADER_KEY] !== undefined || req.query[TOKEN_QUERY_KEY] !== undefined) {
      return refuse(res, 400, 'BAD_REQUEST', `Single connection mode (stream tokens) is not served at ${req.baseUrl}; open one stream per subscription (distinct connections mode).`);
    }
    if (!(req.headers.accept ?? '').split(',').some((type) => type.split(';')[0].trim() === EVENT_STREAM)) {
      return refuse(res, 406, 'NOT_ACCEPTABLE', `${req.baseUrl} answers with an event stream: send Accept: ${EVENT_STREAM}. Queries go to /graphql.`);
    }
    const origin = req.headers.origin;
    if (!originAllowed(origin, options.corsOrigins, req.headers.host)) return refuse(res, 403, 'FORBIDDEN', originRefusal(origin!));
    if (!connections.tryOpen()) {
      return refuse(res, 503, 'LIMIT_EXCEEDED', connections.refusal(), { 'retry-after': '5' });
    }
    open.add(res);
    res.once('close', () => {
      open.delete(res);
      connections.release();
    });
    // graphql-sse wants exactly this Accept; browsers and its client send it so, others may add alternatives.
    req.headers.accept = EVENT_STREAM;
    next();
  };

  const run: RequestHandler = (req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, 'live: unexpected error while serving an event stream');
      if (res.headersSent) res.destroy();
      else refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    });
  };

  return {
    handlers: [cors(corsOptions(options.corsOrigins)), guard, express.json({ limit: options.maxBodyBytes }), run],
    get streamCount() {
      return open.size;
    },
    async close(graceMs) {
      stopping = true;
      const deadline = Date.now() + graceMs;
      while (open.size && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      for (const res of open) res.destroy();
    },
  };
}
