/**
 * Parts of answers serialized once: the JSON of an entity (an `Event`, `Place`, `Actor` or `Source`)
 * under a given selection depends only on the entity, the selection and the data, so it is
 * computed once and kept, and every later answer that holds that entity under that selection
 * reuses the text instead of resolving and serializing it again.
 *
 * - {@link planEntityFragments} rewrites a learned document: each field that returns entities and
 *   whose selection uses no variables and no directives gets the selection `{ <marker>: id }`, and
 *   its whole selection becomes a query of its own, `node(id: $id) { ... on Type { selection } }`.
 * - {@link writeWithFragments} serializes the rewritten document's result as `JSON.stringify`
 *   would the original's, putting each marker's entity JSON in its place: from the
 *   {@link EntityJsonCache} when known, else by running that entity's query once.
 *
 * Which entities a request returns, in which order, with which cursors and counts, is still
 * worked out by executing the (smaller) rewritten query on every request; only the JSON of each
 * entity is reused. The fast path uses a plan only after it gave Apollo's very bytes.
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
  type SelectionSetNode,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Response keys of markers start with this; a document that uses it itself is not rewritten. */
const MARKER_PREFIX = '_dateline_entity_';
/** The interface every entity implements; its `id` names the entity. */
const NODE = 'Node';

/** One rewritten position: the query that gives an entity's JSON under the original selection. */
interface Marker {
  /** Identifies the selection in the {@link EntityJsonCache} (the same selection text shares entries). */
  selection: string;
  query: CompiledQuery;
}

/** A learned document with its entity selections cut out. */
export interface FragmentPlan {
  /** The rewritten document, to compile and run on each request. */
  document: DocumentNode;
  /** Each marker's response key and its entity query. */
  markers: Map<string, Marker>;
  /** Response keys of the fields that hold markers somewhere below; any other field's value is serialized whole. */
  holders: Set<string>;
}

/** Thrown inside {@link writeWithFragments} when an entity query did not give a plain, error-free answer. */
class NoFragment extends Error {}

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
 * it has none that can be (or it uses the marker prefix itself, or an entity query does not compile).
 */
export function planEntityFragments(schema: GraphQLSchema, document: DocumentNode): FragmentPlan | null {
  const text = print(document);
  if (text.includes(MARKER_PREFIX)) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const fragmentText = [...fragments.values()].map((f) => print(f)).join('\n');
  const markers = new Map<string, Marker>();
  let failed = false;
  const typeInfo = new TypeInfo(schema);
  const rewritten = visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(field): FieldNode | undefined {
        const type = typeInfo.getType();
        if (!field.selectionSet || !type) return undefined;
        const named = getNamedType(type);
        if (!isEntityType(named) || !isConstant(field.selectionSet, fragments)) return undefined;
        const selection = `query DatelineEntity($id: ID!) { node(id: $id) { ... on ${named.name} ${print(field.selectionSet)} } }\n${fragmentText}`;
        const query = compileQuery(schema, parse(selection), 'DatelineEntity');
        if (!isCompiledQuery(query)) {
          failed = true;
          return undefined;
        }
        const key = `${MARKER_PREFIX}${markers.size}`;
        markers.set(key, { selection, query });
        return {
          kind: Kind.FIELD,
          alias: field.alias,
          name: field.name,
          arguments: field.arguments,
          directives: field.directives,
          selectionSet: { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, alias: { kind: Kind.NAME, value: key }, name: { kind: Kind.NAME, value: 'id' } }] },
        };
      },
    }),
  );
  return failed || markers.size === 0 ? null : { document: rewritten, markers, holders: markerHolders(rewritten) };
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

/** Entities' JSON by selection and global ID, bounded by the characters kept (the oldest entries go first). */
export class EntityJsonCache {
  private readonly entries = new Map<string, string>();
  /** Selection texts by a short number, so keys stay short. */
  private readonly selections = new Map<string, number>();
  private chars = 0;

  /**
   * @param maxChars most characters of JSON kept; 0 keeps nothing (every entity is serialized each time).
   * @param maxSelections most selections numbered; past it, everything is dropped and numbering starts again, so
   *   that a stream of ever new documents cannot grow the cache without bound.
   */
  constructor(
    readonly maxChars: number,
    private readonly maxSelections = 10_000,
  ) {}

  /** The key of the entity with global ID `id` under `selection`. */
  key(selection: string, id: string): string {
    let n = this.selections.get(selection);
    if (n === undefined) {
      if (this.selections.size >= this.maxSelections) this.clear();
      this.selections.set(selection, (n = this.selections.size));
    }
    return `${n}:${id}`;
  }

  /** Drops every entry and selection number. */
  private clear(): void {
    this.entries.clear();
    this.selections.clear();
    this.chars = 0;
  }

  /** The JSON kept under `key`. */
  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  /** Keeps `json` under `key`, dropping the oldest entries to stay within the limit. */
  set(key: string, json: string): void {
    if (json.length > this.maxChars || this.entries.has(key)) return;
    this.entries.set(key, json);
    this.chars += json.length;
    for (const [oldest, value] of this.entries) {
      if (this.chars <= this.maxChars) break;
      this.entries.delete(oldest);
      this.chars -= value.length;
    }
  }

  /** How many entities are kept. */
  get size(): number {
    return this.entries.size;
  }
}

/**
 * The JSON text `JSON.stringify` gives for the original document's `data`, from the rewritten
 * document's `data`; undefined when an entity query failed (the caller answers another way).
 */
export function writeWithFragments(data: unknown, plan: FragmentPlan, cache: EntityJsonCache, context: unknown): string | undefined {
  const entity = (marker: Marker, id: unknown): string => {
    if (typeof id !== 'string') throw new NoFragment();
    const key = cache.key(marker.selection, id);
    const known = cache.get(key);
    if (known !== undefined) return known;
    const result = marker.query.query(undefined, context, { id });
    const node = result instanceof Promise || result.errors?.length ? undefined : (result.data as { node?: unknown } | null | undefined)?.node;
    if (node == null) throw new NoFragment();
    const json = JSON.stringify(node);
    cache.set(key, json);
    return json;
  };
  const write = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
    if (Array.isArray(value)) {
      let out = '[';
      for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + write(value[i]);
      return `${out}]`;
    }
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(value);
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    const marker = keys.length === 1 ? plan.markers.get(keys[0]) : undefined;
    if (marker) return entity(marker, record[keys[0]]);
    let out = '{';
    for (const key of keys) {
      const field = record[key];
      if (field === undefined) continue;
      // Response keys are GraphQL names, which JSON never escapes.
      out += `${out.length === 1 ? '' : ','}"${key}":${plan.holders.has(key) ? write(field) : JSON.stringify(field)}`;
    }
    return `${out}}`;
  };
  try {
    return write(data);
  } catch (err) {
    if (err instanceof NoFragment) return undefined;
    throw err;
  }
}
