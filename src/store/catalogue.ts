/**
 * The places, actors and sources as they are now: small next to the events, so a change replaces the catalogue
 * (copy on write) instead of patching it, and whoever holds one (a query, a compaction) sees it whole.
 */
import type { Actor, Dataset, Place, Source } from '../data/dataset';
import { tokenize } from './search-index';

type Named = { slug: string };

function bySlugOrder<T extends Named>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/** `items` with `changed` put in by slug (replacing any with the same slug), as a map. */
function mapWith<T extends Named>(items: Map<string, T>, changed: readonly T[]): Map<string, T> {
  if (!changed.length) return items;
  const out = new Map(items);
  for (const item of changed) out.set(item.slug, item);
  return out;
}

/** Changed places, actors and sources, each as it now is. */
export interface CatalogueUpdate {
  places?: readonly Place[];
  actors?: readonly Actor[];
  sources?: readonly Source[];
}

/** Places, actors and sources by slug and in slug order; never changed once made. */
export class Catalogue {
  /** In slug order. */
  readonly places: Place[];
  readonly actors: Actor[];
  readonly sources: Source[];
  private children: Map<string, Place[]> | undefined;
  private readonly nameWords = new Map<string, string[]>();

  private constructor(
    readonly placesBySlug: Map<string, Place>,
    readonly actorsBySlug: Map<string, Actor>,
    readonly sourcesBySlug: Map<string, Source>,
  ) {
    this.places = bySlugOrder(placesBySlug.values());
    this.actors = bySlugOrder(actorsBySlug.values());
    this.sources = bySlugOrder(sourcesBySlug.values());
  }

  /** The catalogue of a loaded data set. */
  static of(dataset: Pick<Dataset, 'places' | 'actors' | 'sources'>): Catalogue {
    const map = <T extends Named>(items: T[]) => new Map(items.map((item) => [item.slug, item]));
    return new Catalogue(map(dataset.places), map(dataset.actors), map(dataset.sources));
  }

  /** This catalogue with `update`'s records added or replaced; this one itself when the update has none. */
  with(update: CatalogueUpdate): Catalogue {
    const { places = [], actors = [], sources = [] } = update;
    if (!places.length && !actors.length && !sources.length) return this;
    return new Catalogue(mapWith(this.placesBySlug, places), mapWith(this.actorsBySlug, actors), mapWith(this.sourcesBySlug, sources));
  }

  /** Places that lie directly inside `slug`, by slug. */
  childrenOf(slug: string): Place[] {
    if (!this.children) {
      this.children = new Map();
      for (const place of this.places) {
        if (place.parent === null) continue;
        const siblings = this.children.get(place.parent) ?? [];
        siblings.push(place);
        this.children.set(place.parent, siblings);
      }
    }
    return this.children.get(slug) ?? [];
  }

  /** The search words of the name of place or actor `slug` (`kind` says which), remembered once worked out. */
  wordsOfName(kind: 'place' | 'actor', slug: string): string[] {
    const key = `${kind}\0${slug}`;
    let words = this.nameWords.get(key);
    if (words === undefined) {
      const name = kind === 'place' ? this.placesBySlug.get(slug)?.name : this.actorsBySlug.get(slug)?.name;
      words = name === undefined ? [] : tokenize(name);
      this.nameWords.set(key, words);
    }
    return words;
  }
}
