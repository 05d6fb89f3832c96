/**
 * One change's answer, shared by every subscriber that sent the same document with the same variables (a page, an
 * app): executed once and serialized once, and framed once per transport where the frame is the same for all (an
 * event stream's `event: next`). Before this, each of 1,000 subscribers cost its own execution lookup, its own
 * `JSON.stringify` of the payload inside graphql-ws or graphql-sse, and several promises.
 */
import { execute, GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLFormattedError } from 'graphql';

/** Shapes an answer's errors as the HTTP endpoint does (codes, no stack), before it is serialized. */
export type FormatResult = (result: ExecutionResult) => ExecutionResult | { data?: unknown; errors?: readonly GraphQLFormattedError[] };

/** A subscriber waiting for an answer still being executed; called once it is ready, in the order they waited. */
export interface AnswerWaiter {
  answered(answer: SharedAnswer): void;
}

/** One execution's result as JSON text, ready at once or once its execution settles. */
export class SharedAnswer {
  /** The formatted result as JSON; undefined while it is executed. */
  text: string | undefined;
  private waiters: AnswerWaiter[] = [];
  private frames: Map<(text: string) => unknown, unknown> | undefined;

  constructor(result: ExecutionResult | PromiseLike<ExecutionResult>, format: FormatResult) {
    if (!isPromiseLike(result)) {
      this.text = serialize(result, format);
      return;
    }
    result.then(
      (settled) => this.settle(serialize(settled, format)),
      (err: unknown) => this.settle(serialize(failure(err), format)),
    );
  }

  /** Calls `waiter.answered(this)` once the text is ready (at once is the caller's job: check `text` first). */
  whenReady(waiter: AnswerWaiter): void {
    this.waiters.push(waiter);
  }

  /** `make(text)`, made once per answer for all subscribers of a transport whose frames do not differ. */
  frame<F>(make: (text: string) => F): F {
    this.frames ??= new Map();
    let framed = this.frames.get(make) as F | undefined;
    if (framed === undefined) this.frames.set(make, (framed = make(this.text!)));
    return framed;
  }

  private settle(text: string): void {
    this.text = text;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter.answered(this);
  }
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}

/** An execution that threw (a bug, not a client mistake) as an error result; `format` hides its detail as for HTTP. */
function failure(err: unknown): ExecutionResult {
  const error = err instanceof Error ? err : new Error(String(err));
  return { data: null, errors: [new GraphQLError(error.message, { originalError: error })] };
}

/** `execute`, with a synchronous throw turned into an error result: it runs inside the publisher's fan-out. */
function run(args: ExecutionArgs): ExecutionResult | PromiseLike<ExecutionResult> {
  try {
    return execute(args);
  } catch (err) {
    return failure(err);
  }
}

function serialize(result: ExecutionResult, format: FormatResult): string {
  return JSON.stringify(format(result));
}

/** Answers already made for one published change: by document, then by operation name and variables. */
type AnswersByDocument = WeakMap<DocumentNode, Map<string, SharedAnswer>>;

/** Most variable texts remembered per change and document; past it answers are made per subscriber. */
const MAX_VARIANTS = 64;

/**
 * The answers of every subscription: `answerFor(args, variant, payload)` executes `args` with `payload` as the root
 * value once per payload, document and `variant` (operation name and variables), and hands every later subscriber
 * the same {@link SharedAnswer}. Answers live as long as the payload (a published change) is held by anyone.
 */
export function createSharedAnswers(format: FormatResult): (args: ExecutionArgs, variant: string, payload: object) => SharedAnswer {
  const answers = new WeakMap<object, AnswersByDocument>();
  return (args, variant, payload) => {
    let byDocument = answers.get(payload);
    if (!byDocument) answers.set(payload, (byDocument = new WeakMap()));
    let byVariables = byDocument.get(args.document);
    if (!byVariables) byDocument.set(args.document, (byVariables = new Map()));
    let answer = byVariables.get(variant);
    if (!answer) {
      answer = new SharedAnswer(run({ ...args, rootValue: payload }), format);
      if (byVariables.size < MAX_VARIANTS) byVariables.set(variant, answer);
    }
    return answer;
  };
}
