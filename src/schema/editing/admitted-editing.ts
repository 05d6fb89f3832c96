/**
 * The editing service as mutations call it: an edit refused at once because the editing queue is longer than its
 * request's deadline allows (`storage/edit-admission.ts`) becomes the GraphQL error of a request over a limit, with
 * HTTP 429 and a Retry-After, instead of an unexpected error. Nothing was changed, so the client may simply retry.
 */
import { GraphQLError } from 'graphql';
import { EditQueueFull } from '../../storage/edit-admission';
import type { Editing } from './editing';

/** The code of the error, the one of every "request over a limit" error (`server/hardening/limit-error.ts`). */
const LIMIT_EXCEEDED = 'LIMIT_EXCEEDED';

/** The GraphQL error of an edit refused by the queue: what waits, how long, and when to retry. */
export function queueFullError(err: EditQueueFull): GraphQLError {
  return new GraphQLError(err.message, {
    extensions: {
      code: LIMIT_EXCEEDED,
      limit: { name: 'editQueue', max: err.maxWaiting, actual: err.waiting },
      retryAfterMs: err.expectedWaitMs,
      http: { status: 429, headers: new Map([['retry-after', String(Math.max(1, Math.ceil(err.expectedWaitMs / 1000)))]]) },
    },
  });
}

const EDITS = ['createEvent', 'updateEvent', 'retractEvent', 'restoreEvent', 'savePlace', 'saveActor', 'saveSource'] as const;
const wrapped = new WeakMap<Editing, Editing>();

/** `editing` with every method's EditQueueFull turned into {@link queueFullError}; one wrapper per service. */
export function admittedEditing(editing: Editing): Editing {
  let out = wrapped.get(editing);
  if (!out) {
    const methods = EDITS.map((name) => {
      const edit = editing[name].bind(editing) as (...args: unknown[]) => Promise<unknown>;
      return [name, (...args: unknown[]) => edit(...args).catch(rethrow)];
    });
    out = Object.fromEntries(methods) as Editing;
    wrapped.set(editing, out);
  }
  return out;
}

function rethrow(err: unknown): never {
  throw err instanceof EditQueueFull ? queueFullError(err) : err;
}
