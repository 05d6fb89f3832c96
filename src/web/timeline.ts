/**
 * The timeline page: reads the GraphQL API (over cacheable GETs) and shows days with their events, filtered, and
 * follows changes to them live (`follow-changes.ts`), marking what changed.
 */
import { fillOptions, fromParams, readFilter, toEventFilter, toParams, writeFilter, type Filter, type PlaceOption } from './filters';
import { followChanges, type LiveChange } from './follow-changes';
import { periodsOf } from './periods';

interface Named { slug: string; name: string }
interface TimelineEvent {
  slug: string;
  title: string;
  summary: string;
  category: string;
  precision: string;
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

const OPTIONS_QUERY = `query TimelineOptions {
  categories: __type(name: "EventCategory") { enumValues { name description } }
  places(first: 100) { nodes { slug name kind ancestors { slug } } }
}`;

const TIMELINE_QUERY = `query TimelinePage($filter: EventFilter) {
  timeline(filter: $filter) {
    date eventCount
    events {
      slug title summary category precision displayDate
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

/**
 * Runs a query over GET so that browsers and caches can keep the answer (a GET read without credentials needs no
 * CSRF header). After a change the page asks again with `fresh`: the browser then checks its copy against the
 * server's ETag, which moves with every change.
 */
async function graphql<T>(query: string, variables: Record<string, unknown> = {}, fresh = false): Promise<T> {
  const params = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  const res = await fetch(`/graphql?${params}`, { headers: { accept: 'application/json' }, cache: fresh ? 'no-cache' : 'default' });
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
  // Events known only to the month or year get a heading of that precision ("June 2012"), never a day's.
  for (const period of periodsOf(days)) {
    const box = el('section', 'day');
    box.id = `day-${period.key}`;
    box.dataset.date = period.key;
    const heading = el('h2', 'day-date');
    const time = el('time', undefined, period.heading);
    time.dateTime = period.key;
    const count = period.events.length;
    heading.append(time, el('span', 'day-count', `${count} event${count === 1 ? '' : 's'}`));
    const events = el('div', 'day-events');
    events.append(...period.events.map(renderEvent));
    box.append(heading, events);
    root.append(box);
  }
}

/** Keeps the filter in the address (shareable) and in the export links (same parameters). */
function syncLinks(filter: Filter): void {
  const params = toParams(filter);
  history.replaceState(null, '', params.size ? `?${params}` : location.pathname);
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-export]')) {
    link.setAttribute('href', `/exports/${link.dataset.export}${params.size ? `?${params}` : ''}`);
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
      places: { nodes: PlaceOption[] };
    }>(OPTIONS_QUERY);
    fillOptions(
      options.categories.enumValues.map((v) => ({ name: v.name, label: words(v.name), description: v.description })),
      options.places.nodes,
      words,
    );
  } catch (err) {
    status.textContent = `Could not load the filters: ${(err as Error).message}`;
    status.classList.add('error');
  }
  const params = new URLSearchParams(location.search);
  writeFilter(fromParams(params));
  const form = document.getElementById('filters') as HTMLFormElement;
  const refilter = () => {
    void refresh();
    follow();
  };
  form.addEventListener('change', refilter);
  // Search as the reader types, once they pause.
  let typing: ReturnType<typeof setTimeout> | undefined;
  document.getElementById('filter-search')!.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(refilter, 250);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    refilter();
  });
  form.addEventListener('reset', () => setTimeout(refilter, 0));
  await refresh();
  follow();
}

void start();
