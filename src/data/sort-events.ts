/** The order of a data set's events: by date, then slug. */
import type { Event } from './dataset';

const byDateThenSlug = (a: Event, b: Event) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
const bySlugOnly = (a: Event, b: Event) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);

/**
 * Puts events in (date, slug) order. Bulk files usually come in date order already: then only the runs of one
 * date that are out of slug order are sorted, not the whole list.
 */
export function sortEvents(events: Event[]): Event[] {
  for (let i = 1; i < events.length; i++) if (events[i - 1].date > events[i].date) return events.sort(byDateThenSlug);
  for (let start = 0; start < events.length; ) {
    const date = events[start].date;
    let end = start + 1;
    let ordered = true;
    for (; end < events.length && events[end].date === date; end++) if (events[end - 1].slug > events[end].slug) ordered = false;
    if (!ordered) {
      const run = events.slice(start, end).sort(bySlugOnly);
      for (let k = 0; k < run.length; k++) events[start + k] = run[k];
    }
    start = end;
  }
  return events;
}
