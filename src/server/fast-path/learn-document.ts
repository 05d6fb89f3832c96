/**
 * Learning a document for the fast path from Apollo's error-free answer, one step per function: find its query
 * operation, compile it, check the compiled form gives Apollo's bytes, then plan and check the reuse of entities'
 * JSON (`entity-fragments.ts`) and the fetching of entities alone (`entity-fetch.ts`). A plan that could not be
 * checked because the answer held no entity is checked on a later answer that holds some.
 */
import { GraphQLError, Kind, OperationTypeNode, parse, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { compileVariableParsing } from 'graphql-jit/dist/variables';
import type { OutgoingHttpHeaders } from 'node:http';
import { compileEntityQueries } from './entity-fetch';
import { planEntityFragments } from './entity-fragments';
import { EntityJsonCache, ReuseGauge } from './entity-json-cache';
import type { GraphQLBody, LearnedDocument, PendingPlan, Ran, Runnable } from './learned-document';

/** Runs a learned document on variables with every check, on the given entity cache (`run-learned.ts`). */
type Run = (learned: Runnable, variables: Record<string, unknown>, entityCache?: EntityJsonCache) => Ran | Promise<Ran>;

/** What learning needs: the fast path's schema, how it runs a document, and the size of its entity cache (0: none). */
export interface LearnOptions {
  schema: GraphQLSchema;
  run: Run;
  entityJsonBytes: number;
  /** The data version now: a pending plan is adopted only when the data has not changed since the answer it is checked against. */
  version: () => string;
}

/** How a plan's check went: adopted, or not checkable yet (no entity in the answer), or refused (other bytes). */
type PlanOutcome = 'adopted' | 'empty' | 'refused';

/** Most later answers a pending plan is checked on before it is given up (each check runs the document three times). */
const MAX_PENDING_CHECKS = 16;

/** The query operation `body` runs, parsed; undefined for anything else (mutations are never learned). */
function queryOf(body: GraphQLBody): { document: DocumentNode; operation: OperationDefinitionNode } | undefined {
  const document = parse(body.query);
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = body.operationName ? operations.find((o) => o.name?.value === body.operationName) : operations.length === 1 ? operations[0] : undefined;
  return operation?.operation === OperationTypeNode.QUERY ? { document, operation } : undefined;
}

/** The plan of entity fragments of `document` with its rewritten and full documents compiled; null when there is none. */
function planOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): PendingPlan | null {
  const plan = planEntityFragments(schema, document);
  if (!plan) return null;
  const cut = compileQuery(schema, plan.document, operationName);
  if (!isCompiledQuery(cut)) return null;
  const full = plan.full ? compileQuery(schema, plan.full, operationName) : null;
  return { plan, cut, full: full && isCompiledQuery(full) ? full : null };
}

/** A gauge that never tries the cache: a trial of the full document. */
function neverReuse(): ReuseGauge {
  return Object.assign(new ReuseGauge(), { shouldTry: () => false });
}

/** Learns documents and checks their pending plans, for one fast path. */
export function createLearner({ schema, run, entityJsonBytes, version }: LearnOptions) {
  /**
   * Checks `pending` on `variables`, whose answer without it is `text`: from an empty cache (taken from the whole
   * document's result), then from the cache that run filled; the full document from an empty cache; and, to fetch
   * entities one at a time, from an empty cache filled by fetching each entity alone. Adopts into `learned` what
   * gave the same bytes.
   */
  const tryPlan = async (learned: Runnable, pending: PendingPlan, variables: Record<string, unknown>, text: string, answeredAt: string): Promise<PlanOutcome> => {
    const whole = learned.compiled;
    const candidate = { ...learned, compiled: pending.cut, fragments: pending.plan, whole, reuse: new ReuseGauge() };
    const trial = new EntityJsonCache(entityJsonBytes);
    const [first, second] = [await run(candidate, variables, trial), await run(candidate, variables, trial)];
    if (first?.body !== text || second?.body !== text) return 'refused';
    if (trial.size === 0) return 'empty';
    const fullTrial = new EntityJsonCache(entityJsonBytes);
    const fullOk = pending.full !== null && (await run({ ...candidate, full: pending.full, reuse: neverReuse() }, variables, fullTrial))?.body === text && fullTrial.size === trial.size;
    const queries = compileEntityQueries(schema, pending.plan);
    const alone = new EntityJsonCache(entityJsonBytes);
    // The whole document fails in this trial, so the answer can only come from entities fetched alone.
    const failing = { ...whole, query: () => ({ errors: [new GraphQLError('not run in this trial')] }) };
    const trialAlone = { ...candidate, whole: failing, entities: queries };
    const fetches = queries !== null && (await run(trialAlone, variables, alone))?.body === text && alone.size === trial.size;
    if (version() !== answeredAt) return 'refused'; // the runs compared other data
    Object.assign(learned, { compiled: pending.cut, fragments: pending.plan, whole, full: fullOk ? pending.full : null, pending: null, entities: fetches ? queries : null });
    return 'adopted';
  };

  /** How many times each pending plan was checked; -1 while a check runs. */
  const checks = new WeakMap<PendingPlan, number>();
  /** Checks `learned`'s pending plan on a later request: its `variables` and the answer `text` the fast path gave under data `answeredAt`. */
  const checkPending = async (learned: Runnable, variables: Record<string, unknown>, text: string, answeredAt: string): Promise<void> => {
    const pending = learned.pending;
    if (!pending || learned.fragments !== null || checks.get(pending) === -1 || version() !== answeredAt) return;
    const n = (checks.get(pending) ?? 0) + 1;
    checks.set(pending, -1); // one check at a time
    const outcome = await tryPlan(learned, pending, variables, text, answeredAt).catch((): PlanOutcome => 'refused');
    if (outcome === 'empty' && n < MAX_PENDING_CHECKS) checks.set(pending, n);
    else learned.pending = null;
  };

  /**
   * Learns a document from Apollo's error-free answer `bytes` (with its `headers`) under data `answeredAt`; undefined when it is not a query
   * or its variables' types cannot be compiled. `compiled` stays null when the compiled form gives other bytes.
   */
  const learn = async (body: GraphQLBody, headers: OutgoingHttpHeaders, bytes: Buffer, answeredAt: string): Promise<LearnedDocument | undefined> => {
    const query = queryOf(body);
    if (!query) return undefined;
    const { document, operation } = query;
    const name = operation.name?.value;
    let coerce: LearnedDocument['coerce'];
    try {
      coerce = compileVariableParsing(schema, operation.variableDefinitions ?? []);
    } catch {
      return undefined; // a variable of a type that is not an input type: Apollo keeps answering (and refusing) it
    }
    const learned: LearnedDocument = {
      document,
      operationName: name ?? null,
      compiled: null,
      coerce,
      fragments: null,
      whole: null,
      full: null,
      pending: null,
      entities: null,
      reuse: new ReuseGauge(),
      caching: new ReuseGauge(),
      headers,
    };
    const variables = body.variables ?? {};
    const whole = compileQuery(schema, document, name);
    const text = bytes.toString('utf8');
    if (!isCompiledQuery(whole) || (await run({ ...learned, compiled: whole }, variables))?.body !== text) return learned;
    learned.compiled = whole;
    const pending = entityJsonBytes > 0 ? planOf(schema, document, name) : null;
    if (pending && (await tryPlan(learned as Runnable, pending, variables, text, answeredAt)) === 'empty') learned.pending = pending;
    return learned;
  };

  return { learn, checkPending };
}
