/**
 * Parts of answers serialized once: the JSON of an entity (an `Event`, `Place`, `Actor` or `Source`)
 * under a given selection depends only on the entity, the selection and the data, so it is
 * computed once and kept, and every later answer that holds that entity under that selection
 * reuses the text instead of resolving and serializing it again.
 *
 * - {@link planEntityFragments} rewrites a learned document: each field that returns entities and
 *   whose selection uses no variables and no directives gets the selection `{ <marker>: id }`.
 * - {@link writeWithFragments} serializes the rewritten document's result as `JSON.stringify`
 *   would the original's, putting each entity's JSON (from the {@link EntityJsonCache}) in its
 *   place. An entity not in the cache is fetched alone, with its selection under `node(id:)`
 *   ({@link FragmentPlan.entityDocuments}), and kept: when the entities asked for outnumber those
 *   the cache holds, most answers still find most of theirs there. When that cannot be done, the
 *   original document is run for this request, the answer is serialized from its result, and the
 *   entities' JSON is taken from it and kept.
 *
 * Which entities a request returns, in which order, with which cursors and counts, is still
 * worked out by executing the (smaller) rewritten query on every request; only the JSON of each
 * entity is reused. The fast path uses a plan only after it gave Apollo's very bytes, from an
 * empty cache and from a full one.
 */
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  print,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { EntityJsonCache } from './entity-json-cache';

/** Response keys of markers start with this; a document that uses it itself is not rewritten. */
const MARKER_PREFIX = '_dateline_entity_';
/** The interface every entity implements; its `id` names the entity. */
const NODE = 'Node';

/** A learned document with its entity selections cut out. */
export interface FragmentPlan {
  /** The rewritten document, to compile and run on each request. */
  document: DocumentNode;
  /**
   * The original document with each entity selection led by its marker, `{ <marker>: id ...selection }`: one run
   * gives every entity's JSON (less the marker) with its ID, to write an answer and fill the cache at once. Null when
   * a fragment definition holds an entity selection: spread inside another entity, it would put a marker there.
   */
  full: DocumentNode | null;
  /** Each marker's response key, and the text of the selection it replaces (the same text shares cache entries). */
  markers: Map<string, string>;
  /** Response keys of the fields that hold markers somewhere below; any other field's value is serialized whole. */
  holders: Set<string>;
  /**
   * For each marker's selection text: a document that answers it for one entity, `node(id: $id)` with that
   * selection, whose `data.node` is the entity's JSON as the original document gives it.
   */
  entityDocuments: Map<string, DocumentNode>;
}

/**
 * Fetches the JSON of the entity with global ID `id` under a marker's `selection` (a key of
 * {@link FragmentPlan.entityDocuments}); undefined when it cannot, right now.
 */
export type EntityFetch = (selection: string, id: string) => string | undefined;

/**
 * Thrown inside {@link writeWithFragments} when an entity is not in the cache, and when the two results do not have
 * the same shape. Plain constants, not errors: a miss is common, and an error would capture a stack trace each time.
 */
const MISSING = { reason: 'an entity is not in the cache' } as const;
const MISMATCH = { reason: 'the results differ in shape' } as const;

/** Whether `type` is an entity type: `Node` or an object type implementing it. */
function isEntityType(type: GraphQLNamedType): boolean {
  if (isInterfaceType(type)) return type.name === NODE;
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === NODE);
}

/** Whether `selection` (with the fragments it spreads) reads no variable and has no directive, so its answer depends only on the entity. */
function isConstant(selection: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): boolean {
  let constant = true;
  visit(selection, {
    Variable() {
      constant = false;
    },
    Directive() {
      constant = false;
    },
    FragmentSpread(spread) {
      const name = spread.name.value;
      if (seen.has(name)) return;
      seen.add(name);
      const fragment = fragments.get(name);
      if (!fragment || !isConstant(fragment.selectionSet, fragments, seen)) constant = false;
    },
  });
  return constant;
}

/**
 * Rewrites `document` so that entity selections are answered from serialized entities; null when
 * it has none that can be (or it uses the marker prefix itself).
 */
export function planEntityFragments(schema: GraphQLSchema, document: DocumentNode): FragmentPlan | null {
  const text = print(document);
  if (text.includes(MARKER_PREFIX)) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const fragmentText = [...fragments.values()].map((f) => print(f)).join('\n');
  const markers = new Map<string, string>();
  const entityDocuments = new Map<string, DocumentNode>();
  /** Rewrites each entity selection with `selections(marker)`, numbering markers in the order met. */
  const rewrite = (selections: (marker: FieldNode, field: FieldNode) => readonly SelectionNode[]) => {
    let n = 0;
    const typeInfo = new TypeInfo(schema);
    const made = new WeakSet<object>();
    let inFragment = false;
    const document2 = visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field(field, _key, _parent, _path, ancestors): FieldNode | undefined {
          const type = typeInfo.getType();
          // visit() goes on into a field it was given, whose entities are part of its own JSON.
          if (!field.selectionSet || !type || ancestors.some((a) => made.has(a))) return undefined;
          const named = getNamedType(type);
          if (!isEntityType(named) || !isConstant(field.selectionSet, fragments)) return undefined;
          const key = `${MARKER_PREFIX}${n++}`;
          const inner = `... on ${named.name} ${print(field.selectionSet)}`;
          const selection = `${inner}\n${fragmentText}`;
          markers.set(key, selection);
          entityDocuments.set(selection, parse(`query DatelineEntity($id: ID!) { node(id: $id) { ${inner} } }\n${fragmentText}`));
          const marker: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: key }, name: { kind: Kind.NAME, value: 'id' } };
          const rewritten: FieldNode = { ...field, selectionSet: { kind: Kind.SELECTION_SET, selections: selections(marker, field) } };
          made.add(rewritten);
          if (ancestors.some((a) => (a as { kind?: string }).kind === Kind.FRAGMENT_DEFINITION)) inFragment = true;
          return rewritten;
        },
      }),
    );
    return { document: document2, inFragment };
  };
  const { document: rewritten } = rewrite((marker) => [marker]);
  if (markers.size === 0) return null;
  const full = rewrite((marker, field) => [marker, ...field.selectionSet!.selections]);
  return { document: rewritten, full: full.inFragment ? null : full.document, markers, holders: markerHolders(rewritten), entityDocuments };
}

/** The response keys of fields in `document` that have a marker among their selections, however deep. */
function markerHolders(document: DocumentNode): Set<string> {
  const holders = new Set<string>();
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition.selectionSet);
  const holding = new Map<string, boolean>();
  const holds = (set: SelectionSetNode): boolean => {
    let found = false;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (key.startsWith(MARKER_PREFIX)) found = true;
        else if (selection.selectionSet && holds(selection.selectionSet)) {
          holders.add(key);
          found = true;
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (holds(selection.selectionSet)) found = true;
      } else {
        const name = selection.name.value;
        if (!holding.has(name)) {
          holding.set(name, false); // a cycle (invalid anyway) ends here
          const fragment = fragments.get(name);
          holding.set(name, fragment !== undefined && holds(fragment));
        }
        if (holding.get(name)) found = true;
      }
    }
    return found;
  };
  for (const definition of document.definitions) if (definition.kind === Kind.OPERATION_DEFINITION) holds(definition.selectionSet);
  return holders;
}

/** What {@link writeWithFragments} wrote: the answer's JSON, and whether the cache paid for it. */
export interface Written {
  json: string;
  /** Whether the cache did not pay: the whole document ran, or most entities (over three in four) were fetched alone. */
  missed: boolean;
}

/** Writes `value`, an object or array of a result, with `item` for its fields' and elements' values. */
function container(value: object, item: (value: unknown, key: string | null) => string): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + item(value[i], null);
    return `${out}]`;
  }
  let out = '{';
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    // Response keys are GraphQL names, which JSON never escapes.
    if (field !== undefined) out += `${out.length === 1 ? '' : ','}"${key}":${item(field, key)}`;
  }
  return `${out}}`;
}

/**
 * The JSON text `JSON.stringify` gives for the original document's data, from `data`, the rewritten
 * document's. An entity not in `cache` is fetched alone with `fetch`, and kept; when `fetch` cannot,
 * `whole()` runs the original document: the text then comes from its data, the entities' JSON found
 * there is kept, and `missed` is true. Undefined when `whole()` gives nothing (an error) or a result
 * of another shape (the caller answers another way). Synchronous unless `whole()` is run and returns a promise.
 * With `full`, `whole()` runs the plan's full document instead, and the text comes from {@link writeFull}.
 */
export function writeWithFragments(
  data: unknown,
  plan: FragmentPlan,
  cache: EntityJsonCache,
  whole: () => unknown,
  fetch: EntityFetch = () => undefined,
  full = false,
): Written | undefined | Promise<Written | undefined> {
  let entities = 0;
  let fetched = 0;
  /** The marker's selection and entity ID when `value` is a marker object. */
  const markerOf = (value: object): [string, unknown] | undefined => {
    if (Array.isArray(value)) return undefined;
    const keys = Object.keys(value);
    const selection = keys.length === 1 ? plan.markers.get(keys[0]) : undefined;
    return selection === undefined ? undefined : [selection, (value as Record<string, unknown>)[keys[0]]];
  };
  const keyOf = (selection: string, id: unknown) => {
    if (typeof id !== 'string') throw MISMATCH;
    return cache.key(selection, id);
  };

  // From the cache, fetching what it lacks.
  const fromCache = (value: unknown): string => {
    if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value) ?? 'null';
    const marker = markerOf(value);
    if (!marker) return container(value, (v, key) => (key === null || plan.holders.has(key) ? fromCache(v) : (JSON.stringify(v) ?? 'null')));
    entities++;
    const key = keyOf(...marker);
    const json = cache.get(key);
    if (json !== undefined) return json;
    const alone = fetch(marker[0], marker[1] as string);
    if (alone === undefined) throw MISSING;
    fetched++;
    cache.set(key, alone);
    return alone;
  };
  // From the original document's result, walked beside the rewritten one (same shape but for the markers).
  const fromWhole = (value: unknown, original: unknown): string => {
    if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(original) ?? 'null';
    if (original === null || typeof original !== 'object' || Array.isArray(value) !== Array.isArray(original)) throw MISMATCH;
    const marker = markerOf(value);
    if (marker) {
      const json = JSON.stringify(original);
      cache.set(keyOf(...marker), json);
      return json;
    }
    if (Array.isArray(value) && value.length !== (original as unknown[]).length) throw MISMATCH;
    const at = (key: string | null, i: number) => (key === null ? (original as unknown[])[i] : (original as Record<string, unknown>)[key]);
    let i = 0;
    return container(value, (v, key) => (key === null || plan.holders.has(key) ? fromWhole(v, at(key, i++)) : (JSON.stringify(at(key, i++)) ?? 'null')));
  };
  const fromOriginal = (original: unknown): Written | undefined => {
    if (original == null) return undefined;
    if (full) {
      const written = writeFull(original, plan, cache);
      return written && { json: written.json, missed: true };
    }
    return unlessMismatch(() => ({ json: fromWhole(data, original), missed: true }));
  };

  try {
    const json = fromCache(data);
    // Fetching an entity alone costs about what resolving it in the whole document does, and a little more: the
    // cache still pays while it holds a quarter of the entities asked for.
    return { json, missed: fetched * 4 > entities * 3 };
  } catch (err) {
    if (err === MISMATCH) return undefined;
    if (err !== MISSING) throw err;
  }
  const original = whole();
  return original instanceof Promise ? original.then(fromOriginal) : fromOriginal(original);
}

/** What `write` gives; undefined when it finds the results of another shape than the plan's. */
function unlessMismatch<T>(write: () => T): T | undefined {
  try {
    return write();
  } catch (err) {
    if (err === MISMATCH) return undefined;
    throw err;
  }
}

/** `json`, an entity's JSON led by its marker `key` holding `id`, without the marker. */
function withoutMarker(json: string, key: string, id: string): string {
  const rest = json.slice(key.length + 4 + JSON.stringify(id).length); // after {"<key>":<id>
  return rest.startsWith(',') ? `{${rest.slice(1)}` : '{}';
}

/**
 * The JSON text `JSON.stringify` gives for the original document's data, from `data`, the result of the plan's full
 * document ({@link FragmentPlan.full}): each entity's JSON is taken from `cache` when kept, else serialized from the
 * result (less its marker) and kept. `missed` as for {@link writeWithFragments}: over three in four entities were
 * not kept. Undefined when the result does not have the plan's shape (an entity ID that is not a string).
 */
export function writeFull(data: unknown, plan: FragmentPlan, cache: EntityJsonCache): Written | undefined {
  let entities = 0;
  let missing = 0;
  const write = (value: unknown): string => {
    if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value) ?? 'null';
    let first: string | undefined;
    if (!Array.isArray(value)) for (first in value) break;
    const selection = first === undefined ? undefined : plan.markers.get(first);
    if (selection === undefined) return container(value, (v, key) => (key === null || plan.holders.has(key) ? write(v) : (JSON.stringify(v) ?? 'null')));
    const id = (value as Record<string, unknown>)[first!];
    if (typeof id !== 'string') throw MISMATCH;
    entities++;
    const key = cache.key(selection, id);
    const kept = cache.get(key);
    if (kept !== undefined) return kept;
    missing++;
    const json = withoutMarker(JSON.stringify(value), first!, id);
    cache.set(key, json);
    return json;
  };
  return unlessMismatch(() => {
    const json = write(data);
    return { json, missed: missing * 4 > entities * 3 };
  });
}
