/** Reads an export URL's query parameters into the same event filter the GraphQL `events` field takes. */
import { EVENT_CATEGORIES, type EventCategory } from '../../data/schema';
import { InvalidArgumentError } from '../../store/errors';
import type { EventFilter } from '../../store/event-store';

/** The parameters an export accepts: the fields of `EventFilter`, and the page (`limit`, `after`). */
export const EXPORT_PARAMETERS = ['from', 'to', 'categories', 'places', 'actors', 'sources', 'search', 'includeRetracted', 'limit', 'after'] as const;

/** The page an export URL asks for. */
export interface ExportPage {
  /** Most events in the answer. */
  limit: number;
  /** The cursor of the last event of the previous page (from the `Link: rel="next"` header). */
  after: string | null;
}

/** Reads `limit` (1 to `maxLimit`, default `defaultLimit`) and `after` from an export URL's query. */
export function parseExportPage(query: Record<string, unknown>, limits: { defaultLimit: number; maxLimit: number }): ExportPage {
  const one = (name: string) => {
    if (query[name] === undefined) return null;
    const given = values(query[name]);
    if (given.length !== 1) throw new InvalidArgumentError(name, `was given ${given.length} times; give it once`);
    return given[0];
  };
  const limitText = one('limit');
  const limit = limitText === null ? limits.defaultLimit : Number(limitText);
  if (!/^\d+$/.test(limitText ?? '1') || limit < 1 || limit > limits.maxLimit) {
    throw new InvalidArgumentError('limit', `must be a whole number from 1 to ${limits.maxLimit}, got ${JSON.stringify(limitText)}; follow the Link rel="next" header for the next page`);
  }
  return { limit, after: one('after') };
}

const LIST_PARAMETERS = new Set(['categories', 'places', 'actors', 'sources']);

function values(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/**
 * Turns `?from=…&categories=A,B&places=x&places=y` into an {@link EventFilter}; list parameters may be repeated or
 * comma-separated. Throws an {@link InvalidArgumentError} naming the parameter for unknown, repeated or empty ones;
 * the store checks the rest (dates, slugs, search length) with the same messages as GraphQL.
 */
export function parseExportFilter(query: Record<string, unknown>): EventFilter {
  const filter: EventFilter = {};
  for (const [name, raw] of Object.entries(query)) {
    if (name === 'limit' || name === 'after') continue; // the page, read by parseExportPage
    if (!(EXPORT_PARAMETERS as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(name, `is not a parameter of exports; use ${EXPORT_PARAMETERS.join(', ')}`);
    }
    const given = values(raw);
    if (LIST_PARAMETERS.has(name)) {
      const list = given.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
      if (!list.length) throw new InvalidArgumentError(name, 'is empty; give one or more values, repeated or comma-separated');
      if (name === 'categories') {
        const unknown = list.filter((c) => !(EVENT_CATEGORIES as readonly string[]).includes(c));
        if (unknown.length) {
          throw new InvalidArgumentError(name, `unknown categor${unknown.length > 1 ? 'ies' : 'y'} ${unknown.map((c) => JSON.stringify(c)).join(', ')}; use ${EVENT_CATEGORIES.join(', ')}`);
        }
        filter.categories = list as EventCategory[];
      } else {
        filter[name as 'places' | 'actors' | 'sources'] = list;
      }
    } else {
      if (given.length !== 1) throw new InvalidArgumentError(name, `was given ${given.length} times; give it once`);
      if (name === 'includeRetracted') {
        if (given[0] !== 'true' && given[0] !== 'false') throw new InvalidArgumentError(name, `must be true or false, got ${JSON.stringify(given[0])}`);
        filter.includeRetracted = given[0] === 'true';
      } else filter[name as 'from' | 'to' | 'search'] = given[0];
    }
  }
  return filter;
}

/** The export parameter a store error is about: `filter.places` -> `places`. */
export function parameterOf(error: InvalidArgumentError): string {
  return error.argument.replace(/^filter\./, '');
}

/** The store's message with the parameter name in front instead of the GraphQL argument path. */
export function parameterMessage(error: InvalidArgumentError): string {
  return `${parameterOf(error)}: ${error.message.slice(error.argument.length + 2).replace(/\bfilter\./g, '')}`;
}
