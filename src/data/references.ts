/**
 * The references of an event record that failed its schema, checked anyway against the catalogues, so that one
 * pass reports every problem of a file (an unknown category and an unknown place together), not just the first.
 */
import type { DataProblem } from './problems';

type Catalogue = { has(slug: string): boolean };

/** The unknown place, actor and source slugs in `data` (whatever its shape), each as a problem in `file`. */
export function unknownReferences(data: unknown, file: string, catalogues: { places: Catalogue; actors: Catalogue; sources: Catalogue }): DataProblem[] {
  if (data === null || typeof data !== 'object') return [];
  const r = data as Record<string, unknown>;
  const problems: DataProblem[] = [];
  const check = (path: string, slug: unknown, noun: 'place' | 'actor' | 'source') => {
    if (typeof slug !== 'string' || catalogues[`${noun}s`].has(slug)) return;
    problems.push({ file, path, message: `unknown ${noun} ${JSON.stringify(slug)}; expected the slug of ${noun === 'actor' ? 'an' : 'a'} ${noun} in ${noun}s.json` });
  };
  const each = (list: string, fn: (item: Record<string, unknown> | unknown, i: number) => void) => {
    const items = r[list];
    if (Array.isArray(items)) items.forEach(fn);
  };
  const field = (item: unknown, name: string) => (item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[name] : undefined);
  check('place', r.place, 'place');
  each('places', (s, i) => check(`places[${i}]`, s, 'place'));
  each('participants', (p, i) => check(`participants[${i}].actor`, field(p, 'actor'), 'actor'));
  each('casualties', (c, i) => check(`casualties[${i}].reportedBy`, field(c, 'reportedBy'), 'source'));
  each('sources', (s, i) => check(`sources[${i}].source`, field(s, 'source'), 'source'));
  each('quotes', (q, i) => {
    check(`quotes[${i}].speaker`, field(q, 'speaker'), 'actor');
    check(`quotes[${i}].reportedBy`, field(q, 'reportedBy'), 'source');
  });
  return problems;
}
