/**
 * The timeline page: reads the GraphQL API (over cacheable GETs) and shows days with their events, filtered, and
 * follows changes to them live (`follow-changes.ts`), marking what changed.
 */
import { followChanges, type LiveChange } from './follow-changes';

interface Named { slug: string; name: string }
interface TimelineEvent {
  slug: string;
  title: string;
  summary: string;
  category: string;
  displayDate: string;
  place: Named & { ancestors: Named[] };
  places: Named[];
  participants: { role: string; actor: Named & { description: string | null } }[];
  casualties: { kind: string; count: number; qualifier: string; victims: string; reportedBy: Named }[];
  sources: { claim: string | null; source: Named }[];
  quotes: { text: string; speaker: Named; reportedBy: Named | null }[];
  status: 'PUBLISHED' | 'RETRACTED';
  revision: number;
  updatedAt: string | null;
  retraction: { reason: string } | null;
}
interface Day { date: string; eventCount: number; events: TimelineEvent[] }
interface Filter { category: string; place: string; from: string; to: string }

const OPTIONS_QUERY = `query TimelineOptions {
  categories: __type(name: "EventCategory") { enumValues { name description } }
  places(first: 100) { nodes { slug name kind ancestors { slug } } }
}`;

const TIMELINE_QUERY = `query TimelinePage($filter: EventFilter) {
  timeline(filter: $filter) {
    date eventCount
    events {
      slug title summary category displayDate
      place { slug name ancestors { slug name } }
      places { slug name }
      participants { role actor { slug name description } }
      casualties { kind count qualifier victims reportedBy { slug name } }
      sources { claim source { slug name } }
      quotes { text speaker { slug name } reportedBy { slug name } }
      status revision updatedAt retraction { reason }
    }
  }
}`;

const QUALIFIERS: Record<string, string> = { EXACTLY: '', AT_LEAST: 'at least ', MORE_THAN: 'more than ', ABOUT: 'about ', UP_TO: 'up to ' };
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * Runs a query over GET so that browsers and caches can keep the answer; the header satisfies Apollo's CSRF rule.
 * After a change the page asks again with `fresh`: the browser then checks its copy against the server's ETag, which
 * moves with every change.
 */
async function graphql<T>(query: string, variables: Record<string, unknown> = {}, fresh = false): Promise<T> {
  const params = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  const res = await fetch(`/graphql?${params}`, { headers: { 'apollo-require-preflight': 'true', accept: 'application/json' }, cache: fresh ? 'no-cache' : 'default' });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!body.data) throw new Error(`The server answered ${res.status} without data.`);
  return body.data;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function words(value: string): string {
  const lower = value.toLowerCase().replace(/_/g, ' ');
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${weekday} ${d} ${MONTHS[m - 1]} ${y}`;
}

function casualtyText(c: TimelineEvent['casualties'][number]): string {
  const text = `${QUALIFIERS[c.qualifier] ?? ''}${c.count} ${c.kind.toLowerCase()}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A time as the reader's clock shows it, e.g. 14:02. */
function clockTime(instant: string): string {
  const at = new Date(instant);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

/** Slugs of the events that changed while the page was open; they stay highlighted. */
const changedHere = new Set<string>();

/** What changed about an event through Dateline, e.g. "updated 14:02" or "retracted: a later report ..."; null when nothing. */
function changeMark(e: TimelineEvent): HTMLElement | null {
  if (e.status === 'RETRACTED') return el('span', 'change-mark retracted-mark', `retracted: ${e.retraction?.reason ?? ''}`);
  if (!e.updatedAt) return null;
  return el('span', 'change-mark', `${e.revision === 1 ? 'added' : 'updated'} ${clockTime(e.updatedAt)}`);
}

function section(title: string, ...children: HTMLElement[]): HTMLElement {
  const box = el('section', 'event-section');
  box.append(el('h4', undefined, title), ...children);
  return box;
}

function renderEvent(e: TimelineEvent): HTMLElement {
  const article = el('article', `event category-${e.category.toLowerCase()}`);
  article.id = `event-${e.slug}`;
  article.dataset.slug = e.slug;
  article.dataset.status = e.status;
  if (e.status === 'RETRACTED') article.classList.add('retracted');
  if (changedHere.has(e.slug)) article.classList.add('just-changed');
  const head = el('header', 'event-head');
  head.append(el('span', 'badge', words(e.category)), el('span', 'event-when', e.displayDate));
  const mark = changeMark(e);
  if (mark) head.append(mark);
  article.append(head, el('h3', 'event-title', e.title));

  const where = [e.place.name, ...e.place.ancestors.map((a) => a.name)].join(', ');
  const others = e.places.filter((p) => p.slug !== e.place.slug).map((p) => p.name);
  const place = el('p', 'event-place', where);
  if (others.length) place.append(el('span', 'also', ` · also ${others.join(', ')}`));
  article.append(place, el('p', 'event-summary', e.summary));

  if (e.casualties.length) {
    const list = el('ul', 'casualties');
    for (const c of e.casualties) {
      const item = el('li');
      item.append(el('strong', undefined, casualtyText(c)), ` ${c.victims}, according to `, el('cite', undefined, c.reportedBy.name));
      list.append(item);
    }
    article.append(section('Casualties', list));
  }
  if (e.participants.length) {
    const list = el('ul', 'participants');
    for (const p of e.participants) {
      const item = el('li');
      item.append(el('span', 'actor', p.actor.name), el('span', 'role', words(p.role)));
      if (p.actor.description) item.title = p.actor.description;
      list.append(item);
    }
    article.append(section('Participants', list));
  }
  for (const q of e.quotes) {
    const quote = el('blockquote', 'quote');
    quote.append(el('p', undefined, `“${q.text}”`));
    const by = el('footer', undefined, `— ${q.speaker.name}`);
    if (q.reportedBy) by.append(', as reported by ', el('cite', undefined, q.reportedBy.name));
    quote.append(by);
    article.append(quote);
  }
  const sources = el('ul', 'sources');
  for (const s of e.sources) {
    const item = el('li');
    item.append(el('cite', undefined, s.source.name));
    if (s.claim) item.append(`: ${s.claim}`);
    sources.append(item);
  }
  article.append(section('Sources', sources));
  return article;
}

function renderDays(days: Day[]): void {
  const root = document.getElementById('timeline')!;
  root.replaceChildren();
  for (const day of days) {
    const box = el('section', 'day');
    box.id = `day-${day.date}`;
    box.dataset.date = day.date;
    const heading = el('h2', 'day-date');
    const time = el('time', undefined, longDate(day.date));
    time.dateTime = day.date;
    heading.append(time, el('span', 'day-count', `${day.eventCount} event${day.eventCount === 1 ? '' : 's'}`));
    const events = el('div', 'day-events');
    events.append(...day.events.map(renderEvent));
    box.append(heading, events);
    root.append(box);
  }
}

function readFilter(): Filter {
  const form = document.getElementById('filters') as HTMLFormElement;
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value;
  return { category: value('category'), place: value('place'), from: value('from'), to: value('to') };
}

function writeFilter(filter: Filter): void {
  const form = document.getElementById('filters') as HTMLFormElement;
  for (const [name, v] of Object.entries(filter)) (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value = v;
}

/** The filter of the timeline and of the changes it follows; retracted events stay on the page, marked. */
function toEventFilter(filter: Filter): Record<string, unknown> {
  return {
    includeRetracted: true,
    ...(filter.category ? { categories: [filter.category] } : {}),
    ...(filter.place ? { places: [filter.place] } : {}),
    ...(filter.from ? { from: filter.from } : {}),
    ...(filter.to ? { to: filter.to } : {}),
  };
}

/** Keeps the filter in the address (shareable) and in the export links (same parameters). */
function syncLinks(filter: Filter): void {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
  history.replaceState(null, '', params.size ? `?${params}` : location.pathname);
  const exportParams = new URLSearchParams();
  if (filter.category) exportParams.set('categories', filter.category);
  if (filter.place) exportParams.set('places', filter.place);
  if (filter.from) exportParams.set('from', filter.from);
  if (filter.to) exportParams.set('to', filter.to);
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-export]')) {
    link.setAttribute('href', `/exports/${link.dataset.export}${exportParams.size ? `?${exportParams}` : ''}`);
  }
}

let generation = 0;

async function refresh(fresh = false): Promise<void> {
  const status = document.getElementById('status')!;
  const filter = readFilter();
  syncLinks(filter);
  const mine = ++generation;
  if (!fresh) status.textContent = 'Loading…';
  status.classList.remove('error');
  document.body.setAttribute('aria-busy', 'true');
  try {
    const { timeline } = await graphql<{ timeline: Day[] }>(TIMELINE_QUERY, { filter: toEventFilter(filter) }, fresh);
    if (mine !== generation) return;
    renderDays(timeline);
    const total = timeline.reduce((n, d) => n + d.events.filter((e) => e.status === 'PUBLISHED').length, 0);
    status.textContent = total
      ? `${total} event${total === 1 ? '' : 's'} on ${timeline.length} day${timeline.length === 1 ? '' : 's'}`
      : 'No events match these filters.';
  } catch (err) {
    if (mine !== generation) return;
    renderDays([]);
    status.textContent = `Could not load events: ${(err as Error).message}`;
    status.classList.add('error');
  } finally {
    if (mine === generation) document.body.removeAttribute('aria-busy');
  }
}

let following: { stop(): void } | null = null;
let pending: ReturnType<typeof setTimeout> | undefined;

/** Reads the timeline again shortly, once for a burst of changes. */
function refreshSoon(): void {
  clearTimeout(pending);
  pending = setTimeout(() => void refresh(true), 50);
}

/** Follows changes to the events the current filter shows (again, after the filter changed). */
function follow(): void {
  following?.stop();
  const live = document.getElementById('live')!;
  following = followChanges(toEventFilter(readFilter()), {
    change(change: LiveChange) {
      if (change.entity.slug) changedHere.add(change.entity.slug);
      refreshSoon();
    },
    catchUp: refreshSoon,
    state(state) {
      live.textContent = state === 'live' ? 'Following changes live' : 'Reconnecting…';
      live.dataset.state = state;
    },
  });
}

async function start(): Promise<void> {
  const status = document.getElementById('status')!;
  try {
    const options = await graphql<{
      categories: { enumValues: { name: string; description: string | null }[] };
      places: { nodes: (Named & { kind: string; ancestors: { slug: string }[] })[] };
    }>(OPTIONS_QUERY);
    const category = document.getElementById('filter-category') as HTMLSelectElement;
    for (const v of options.categories.enumValues) {
      const option = new Option(words(v.name), v.name);
      if (v.description) option.title = v.description;
      category.append(option);
    }
    const place = document.getElementById('filter-place') as HTMLSelectElement;
    const places = [...options.places.nodes].sort((a, b) => a.name.localeCompare(b.name));
    for (const p of places) place.append(new Option(`${'  '.repeat(p.ancestors.length)}${p.name} (${words(p.kind)})`, p.slug));
  } catch (err) {
    status.textContent = `Could not load the filters: ${(err as Error).message}`;
    status.classList.add('error');
  }
  const params = new URLSearchParams(location.search);
  writeFilter({ category: params.get('category') ?? '', place: params.get('place') ?? '', from: params.get('from') ?? '', to: params.get('to') ?? '' });
  const form = document.getElementById('filters') as HTMLFormElement;
  const refilter = () => {
    void refresh();
    follow();
  };
  form.addEventListener('change', refilter);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    refilter();
  });
  form.addEventListener('reset', () => setTimeout(refilter, 0));
  await refresh();
  follow();
}

void start();
