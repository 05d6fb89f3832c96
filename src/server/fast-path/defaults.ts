/** Defaults of the fast path that the settings (`src/config.ts`) show, in a file that loads nothing else. */

/**
 * Most bytes of entities' JSON the fast path keeps by default (setting `ENTITY_CACHE_BYTES`): room for the full detail
 * of every event of a 20,000-event data set (about 23M characters, 50 MB as the cache counts), and a bound whatever
 * the data (see `EntityJsonCache`).
 */
export const DEFAULT_ENTITY_JSON_BYTES = 64 * 1024 * 1024;
