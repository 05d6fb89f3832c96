/**
 * How an export is written: one event at a time, so that a page of thousands of events is built in slices with
 * turns of the event loop between them (a probe or another request is never held for the whole page).
 */
import type { Event } from '../../data/dataset';
import type { EventStore } from '../../store/event-store';

/** One page of one format being written: its text before, for and between events, and after them. */
export interface PageWriter {
  head: string;
  item(event: Event): string;
  separator: string;
  tail: string;
}

/** An export format: its media type, and how it starts a page of `events` (the head may look at all of them). */
export interface ExportFormat {
  contentType: string;
  begin(events: readonly Event[], store: EventStore, exportedAt: Date): PageWriter;
}

/** How long a slice of writing may run before the event loop gets a turn. */
export interface SliceLimits {
  /** Milliseconds of writing per slice. */
  sliceMs: number;
  /** Events per slice at most, whatever the time (so slicing does not hang on the clock alone). */
  sliceEvents: number;
}

/** A few milliseconds of writing, at most 200 events, per turn of the event loop. */
export const DEFAULT_SLICES: SliceLimits = { sliceMs: 4, sliceEvents: 200 };

/** The whole page at once; for small pages and tests. */
export function renderWhole(writer: PageWriter, events: readonly Event[]): string {
  return writer.head + events.map((event) => writer.item(event)).join(writer.separator) + writer.tail;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The page's bytes, written a slice at a time: after each {@link SliceLimits} worth of events the event loop gets a
 * turn (`setImmediate`) before the next slice. Each slice's text becomes a Buffer at once, so only the bytes are kept.
 */
export async function renderInSlices(writer: PageWriter, events: readonly Event[], limits: SliceLimits = DEFAULT_SLICES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let text = writer.head;
  let sliceStart = performance.now();
  let inSlice = 0;
  for (let i = 0; i < events.length; i++) {
    if (inSlice >= limits.sliceEvents || performance.now() - sliceStart >= limits.sliceMs) {
      chunks.push(Buffer.from(text));
      text = '';
      await turn();
      sliceStart = performance.now();
      inSlice = 0;
    }
    text += (i > 0 ? writer.separator : '') + writer.item(events[i]);
    inSlice++;
  }
  chunks.push(Buffer.from(text + writer.tail));
  return Buffer.concat(chunks);
}
