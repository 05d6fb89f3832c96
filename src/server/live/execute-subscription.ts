/**
 * Runs subscriptions with graphql-js (graphql-jit does not do subscriptions). Every change goes to many subscribers,
 * and most of them sent the same document with the same variables (a page, an app): the answer for one change is
 * computed once per document and variables and shared, rather than once per subscriber.
 */
import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';

/** What graphql-ws and graphql-sse accept from a `subscribe` function. */
export type SubscriptionResult = AsyncGenerator<ExecutionResult, undefined, undefined> | ExecutionResult;

/** Answers already computed for one published change: by document, then by operation name and variables. */
type AnswersByDocument = WeakMap<DocumentNode, Map<string, Promise<ExecutionResult>>>;

/** Most variable texts remembered per change and document; past it answers are computed per subscriber. */
const MAX_VARIANTS = 64;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> & AsyncIterator<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * Makes the `subscribe` both transports use: graphql-js' source stream, mapped through `execute` once per payload,
 * document and variables (payloads are shared objects: the published changes). The answers are kept while anyone
 * still holds the payload.
 */
export function createSubscriptionExecutor(): (args: ExecutionArgs) => Promise<SubscriptionResult> {
  const answers = new WeakMap<object, AnswersByDocument>();

  /** `variant` names the operation and variables, worked out once per subscription rather than once per change. */
  const answer = (args: ExecutionArgs, variant: string, payload: unknown): Promise<ExecutionResult> => {
    const run = async () => execute({ ...args, rootValue: payload });
    if (typeof payload !== 'object' || payload === null) return run();
    let byDocument = answers.get(payload);
    if (!byDocument) answers.set(payload, (byDocument = new WeakMap()));
    let byVariables = byDocument.get(args.document);
    if (!byVariables) byDocument.set(args.document, (byVariables = new Map()));
    let result = byVariables.get(variant);
    if (!result) {
      result = run();
      if (byVariables.size < MAX_VARIANTS) byVariables.set(variant, result);
    }
    return result;
  };

  return async (args) => {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream as ExecutionResult;
    const variant = `${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}`;
    // A plain object, not an async generator function: return() must reach the source at once, even while a
    // next() waits for a change that may never come.
    const mapped: AsyncGenerator<ExecutionResult, undefined, undefined> = {
      async next() {
        const item = await stream.next();
        if (item.done) return { value: undefined, done: true };
        return { value: await answer(args, variant, item.value), done: false };
      },
      async return() {
        await stream.return?.();
        return { value: undefined, done: true };
      },
      async throw(error: unknown) {
        await stream.return?.();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return mapped;
      },
      async [Symbol.asyncDispose]() {
        await stream.return?.();
      },
    };
    return mapped;
  };
}
