/** Opaque global IDs, as Relay defines them: the type name and the slug, base64-encoded. */
import { fromGlobalId } from 'graphql-relay';
import { InvalidArgumentError } from '../../store/errors';

/** The entity types that have global IDs. */
export const NODE_TYPES = ['Event', 'Place', 'Actor', 'Source'] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

/** Most IDs remembered per type; past it, IDs are encoded each time without being kept. */
const MAX_REMEMBERED_IDS = 200_000;
/** IDs already encoded, by type and slug (the store's slug strings, so lookups hash nothing new). */
const encoded = new Map<NodeTypeName, Map<string, string>>(NODE_TYPES.map((type) => [type, new Map()]));

/** The global ID of the entity of `type` with `slug`. */
export function globalId(type: NodeTypeName, slug: string): string {
  const ids = encoded.get(type)!;
  let id = ids.get(slug);
  if (id === undefined) {
    // The same text as graphql-relay's toGlobalId, with Node's native base64 (many times faster).
    id = Buffer.from(`${type}:${slug}`, 'utf8').toString('base64');
    if (ids.size < MAX_REMEMBERED_IDS) ids.set(slug, id);
  }
  return id;
}

/** Splits a global ID into its type and slug; fails naming `argument` when it is not one of ours. */
export function parseGlobalId(id: string, argument: string): { type: NodeTypeName; slug: string } {
  const { type, id: slug } = /^[A-Za-z0-9+/=]{1,400}$/.test(id) ? fromGlobalId(id) : { type: '', id: '' };
  if (!(NODE_TYPES as readonly string[]).includes(type) || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) {
    throw new InvalidArgumentError(argument, `${JSON.stringify(id.length > 60 ? `${id.slice(0, 57)}...` : id)} is not a Dateline ID; use the id field of an Event, Place, Actor or Source`);
  }
  return { type: type as NodeTypeName, slug };
}
