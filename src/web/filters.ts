/** The page's filter form: what it holds, how it is kept in the address and export links, and the place tree. */

/** What the form holds; the lists are alternatives, the fields all apply, as in the API's EventFilter. */
export interface Filter {
  search: string;
  categories: string[];
  places: string[];
  from: string;
  to: string;
}

/** A place as the options query returns it: its parent is the first of its ancestors. */
export interface PlaceOption {
  slug: string;
  name: string;
  kind: string;
  ancestors: { slug: string }[];
}

function form(): HTMLFormElement {
  return document.getElementById('filters') as HTMLFormElement;
}

function input(name: string): HTMLInputElement {
  return form().elements.namedItem(name) as HTMLInputElement;
}

function placeSelect(): HTMLSelectElement {
  return document.getElementById('filter-places') as HTMLSelectElement;
}

function categoryBoxes(): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>('#filter-categories input[type="checkbox"]')];
}

/** What the form says now. */
export function readFilter(): Filter {
  return {
    search: input('search').value.trim(),
    categories: categoryBoxes().filter((box) => box.checked).map((box) => box.value),
    places: [...placeSelect().selectedOptions].map((option) => option.value),
    from: input('from').value,
    to: input('to').value,
  };
}

/** Sets the form to `filter`. */
export function writeFilter(filter: Filter): void {
  input('search').value = filter.search;
  for (const box of categoryBoxes()) box.checked = filter.categories.includes(box.value);
  for (const option of placeSelect().options) option.selected = filter.places.includes(option.value);
  input('from').value = filter.from;
  input('to').value = filter.to;
}

/** The filter as the API's EventFilter, for the timeline and the changes it follows; retracted events stay on the page, marked. */
export function toEventFilter(filter: Filter): Record<string, unknown> {
  return {
    includeRetracted: true,
    ...(filter.search ? { search: filter.search } : {}),
    ...(filter.categories.length ? { categories: filter.categories } : {}),
    ...(filter.places.length ? { places: filter.places } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
  };
}

/** URL parameters in the exports' terms (lists comma-separated), used for the address and the export links alike. */
export function toParams(filter: Filter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.search) params.set('search', filter.search);
  if (filter.categories.length) params.set('categories', filter.categories.join(','));
  if (filter.places.length) params.set('places', filter.places.join(','));
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  return params;
}

/** Reads a filter from the address; `category` and `place` are the single-value names of earlier links. */
export function fromParams(params: URLSearchParams): Filter {
  const list = (...names: string[]) => names.flatMap((name) => params.getAll(name).flatMap((v) => v.split(','))).filter((v) => v !== '');
  return {
    search: params.get('search') ?? '',
    categories: list('categories', 'category'),
    places: list('places', 'place'),
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

/** Places in tree order: each country (alphabetically), then the places inside it, depth first, each level alphabetical. */
export function placeTree(places: PlaceOption[]): { place: PlaceOption; depth: number }[] {
  const children = new Map<string | null, PlaceOption[]>();
  const known = new Set(places.map((p) => p.slug));
  for (const p of places) {
    const parent = p.ancestors[0]?.slug ?? null;
    // A place whose parent did not come back (a page of 100) is shown at the top rather than lost.
    const key = parent !== null && known.has(parent) ? parent : null;
    children.set(key, [...(children.get(key) ?? []), p]);
  }
  const out: { place: PlaceOption; depth: number }[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const p of [...(children.get(parent) ?? [])].sort((a, b) => a.name.localeCompare(b.name))) {
      out.push({ place: p, depth });
      visit(p.slug, depth + 1);
    }
  };
  visit(null, 0);
  return out;
}

/** Fills the category boxes and the place list. */
export function fillOptions(categories: { name: string; label: string; description: string | null }[], places: PlaceOption[], kindLabel: (kind: string) => string): void {
  const fieldset = document.getElementById('filter-categories')!;
  for (const c of categories) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'categories';
    box.value = c.name;
    label.append(box, ` ${c.label}`);
    if (c.description) label.title = c.description;
    fieldset.append(label);
  }
  const select = placeSelect();
  for (const { place, depth } of placeTree(places)) {
    // Non-breaking spaces: a select collapses ordinary ones.
    const option = new Option(`${'\u00a0\u00a0\u00a0'.repeat(depth)}${place.name} (${kindLabel(place.kind)})`, place.slug);
    option.dataset.depth = String(depth);
    select.append(option);
  }
}
