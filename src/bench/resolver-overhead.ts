/**
 * `npm run bench:resolvers`: the cost of executing the benchmark operations in this process, without
 * HTTP, for each way the schema can run its resolvers (type-graphql's own wrappers, or the direct
 * calls of `schema/direct-resolvers.ts`) and each executor (graphql-js `execute`, graphql-jit as the
 * fast path runs it). Every answer is first checked to be the same as graphql-js over
 * type-graphql's resolvers. Prints microseconds per operation: the median of several rounds, since
 * the machine may be shared.
 *
 *   npm run bench:resolvers -- [--iterations 2000] [--rounds 5] [--events DIR]
 */
import 'reflect-metadata';
import { execute, parse, validate, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { loadDataset } from '../data/load-dataset';
import { createDatelineSchema } from '../schema/build-schema';
import type { DatelineContext } from '../schema/context';
import { resolveTaggedTypesSynchronously } from '../server/fast-path/sync-type-resolution';
import { EventStore } from '../store/event-store';
import { throughputOperations, type BenchOperation } from './operations';

/** What to run. */
export interface ResolverOverheadOptions {
  eventsDir: string;
  /** Timed executions per round. */
  iterations: number;
  rounds: number;
  log: (line: string) => void;
}

/** One measured row: an operation run by one executor over one schema. */
export interface ResolverOverheadFigure {
  operation: string;
  resolvers: 'type-graphql' | 'direct';
  executor: 'graphql-js' | 'graphql-jit';
  microsecondsPerOperation: number;
}

/** Runs one execution; the answer may be a promise when a resolver returns one. */
type Run = () => ExecutionResult | Promise<ExecutionResult>;

function runner(schema: GraphQLSchema, executor: ResolverOverheadFigure['executor'], op: BenchOperation, context: DatelineContext): Run {
  const document = parse(op.body.query);
  const errors = validate(schema, document);
  if (errors.length > 0) throw new Error(`${op.name}: ${errors.map((e) => e.message).join('; ')}`);
  const variables = op.body.variables ?? {};
  if (executor === 'graphql-js') {
    return () => execute({ schema, document, contextValue: context, variableValues: variables }) as ExecutionResult | Promise<ExecutionResult>;
  }
  const compiled = compileQuery(schema, document);
  if (!isCompiledQuery(compiled)) throw new Error(`${op.name}: graphql-jit could not compile it: ${JSON.stringify(compiled.errors)}`);
  return () => compiled.query(undefined, context, variables);
}

/** Median microseconds per execution over `rounds` rounds of `iterations` executions. */
async function time(run: Run, iterations: number, rounds: number): Promise<number> {
  for (let i = 0; i < Math.min(iterations, 200); i++) await run();
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      const result = run();
      // Await only real promises, so that synchronous execution is timed as it runs.
      if (result instanceof Promise) await result;
    }
    perRound.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
  }
  perRound.sort((a, b) => a - b);
  return perRound[Math.floor(perRound.length / 2)];
}

/** Runs the benchmark and returns its figures. */
export async function runResolverOverheadBench(options: ResolverOverheadOptions): Promise<ResolverOverheadFigure[]> {
  const { log } = options;
  const context: DatelineContext = { store: new EventStore(await loadDataset(options.eventsDir)) };
  const schemas = {
    'type-graphql': createDatelineSchema({ directResolvers: false }),
    direct: createDatelineSchema({ directResolvers: true }),
  } as const;
  for (const schema of Object.values(schemas)) resolveTaggedTypesSynchronously(schema);
  const figures: ResolverOverheadFigure[] = [];
  log(`${options.rounds} rounds of ${options.iterations} executions each; median µs per operation`);
  log(`${'operation'.padEnd(14)} ${'resolvers'.padEnd(13)} ${'executor'.padEnd(12)} ${'µs/op'.padStart(9)} ${'x type-graphql'.padStart(15)}`);
  for (const op of throughputOperations()) {
    const expected = JSON.stringify(await runner(schemas['type-graphql'], 'graphql-js', op, context)());
    if (expected.includes('"errors"')) throw new Error(`${op.name}: ${expected.slice(0, 500)}`);
    for (const executor of ['graphql-js', 'graphql-jit'] as const) {
      let baseline = 0;
      for (const resolvers of ['type-graphql', 'direct'] as const) {
        const run = runner(schemas[resolvers], executor, op, context);
        const answer = JSON.stringify(await run());
        if (answer !== expected) throw new Error(`${op.name}: ${resolvers} resolvers under ${executor} answered differently:\n${answer.slice(0, 300)}\n${expected.slice(0, 300)}`);
        const us = await time(run, options.iterations, options.rounds);
        if (resolvers === 'type-graphql') baseline = us;
        figures.push({ operation: op.name, resolvers, executor, microsecondsPerOperation: us });
        log(`${op.name.padEnd(14)} ${resolvers.padEnd(13)} ${executor.padEnd(12)} ${us.toFixed(1).padStart(9)} ${`${(us / baseline).toFixed(2)}x`.padStart(15)}`);
      }
    }
  }
  return figures;
}

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const count = (name: string, fallback: number) => {
    const value = Number(option(args, name, String(fallback)));
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  runResolverOverheadBench({
    eventsDir: option(args, 'events', 'events'),
    iterations: count('iterations', 2000),
    rounds: count('rounds', 5),
    log: (line) => process.stdout.write(`${line}\n`),
  }).catch((err: unknown) => {
    process.stderr.write(`benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
