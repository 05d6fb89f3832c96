/** Exports are written in slices with turns of the event loop between them, and each page renders once per data version. */
import fc from 'fast-check';
import type { Event } from '../../../data/dataset';
import { EventStore } from '../../../store/event-store';
import { buildWideDataset } from '../../../test-support/wide-dataset';
import { renderInSlices, renderWhole } from '../export-format';
import { EXPORT_FORMATS } from '../exports.router';
import { foldLine } from '../icalendar';
import { RenderedPages, type RenderedPage } from '../rendered-pages';

const store = new EventStore(buildWideDataset({ width: 20, depth: 4, events: 1000 }));
const events: Event[] = store.query({}, { field: 'DATE', direction: 'ASC' }, { first: 1000, after: null }, 1000).edges.map((e) => e.node);
const exportedAt = new Date('2024-01-02T03:04:05Z');

/** Runs `work` while counting turns of the event loop (a `setImmediate` that keeps rescheduling itself). */
async function countingTurns<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work();
  done = true;
  return { result, turns };
}

describe.each(Object.keys(EXPORT_FORMATS))('%s', (file) => {
  const format = EXPORT_FORMATS[file];

  it('gives the event loop a turn after each slice of 100 events, and the same bytes as writing it whole', async () => {
    const { result, turns } = await countingTurns(() => renderInSlices(format.begin(events, store, exportedAt), events, { sliceMs: 60_000, sliceEvents: 100 }));
    expect(turns).toBeGreaterThanOrEqual(9);
    expect(result.toString('utf8')).toBe(renderWhole(format.begin(events, store, exportedAt), events));
  });

  it('also gives turns when slices run out of time before events', async () => {
    const { turns } = await countingTurns(() => renderInSlices(format.begin(events, store, exportedAt), events, { sliceMs: 0, sliceEvents: 1_000_000 }));
    expect(turns).toBeGreaterThanOrEqual(events.length - 1);
  });
});

it('folds iCalendar lines exactly as counting each character\'s UTF-8 bytes would', () => {
  const reference = (line: string) => {
    const out: string[] = [];
    let current = '';
    let octets = 0;
    for (const ch of line) {
      const size = Buffer.byteLength(ch, 'utf8');
      if (octets + size > (out.length === 0 ? 75 : 74)) {
        out.push(current);
        current = '';
        octets = 0;
      }
      current += ch;
      octets += size;
    }
    out.push(current);
    return out.join('\r\n ');
  };
  const unit = fc.constantFrom('a', 'é', '€', '🇸🇾', '\ud800', '\udc00', 'د', ' ', ';');
  fc.assert(fc.property(fc.string({ unit, maxLength: 200 }), (line) => expect(foldLine(line)).toBe(reference(line))), { numRuns: 500 });
});

describe('RenderedPages', () => {
  const page = (text: string): RenderedPage => ({ body: Buffer.from(text), total: 1, nextAfter: null });

  it('renders a page asked for twice at once only once, and again when the data version moves', async () => {
    const pages = new RenderedPages({ maxBytes: 1_000_000, maxRendering: 2 });
    const render = jest.fn(async () => page('p'));
    await Promise.all([pages.get('v1', 'a', render), pages.get('v1', 'a', render)]);
    await pages.get('v1', 'a', render);
    expect(render).toHaveBeenCalledTimes(1);
    await pages.get('v2', 'a', render);
    expect(render).toHaveBeenCalledTimes(2);
  });

  it('renders at most `maxRendering` pages at once; the others wait their turn', async () => {
    const pages = new RenderedPages({ maxBytes: 1_000_000, maxRendering: 2 });
    let running = 0;
    let most = 0;
    const render = (key: string) => async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return page(key);
    };
    const bodies = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((key) => pages.get('v1', key, render(key))));
    expect(bodies.map((p) => p.body.toString())).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(most).toBe(2);
  });

  it('keeps pages within its bytes, dropping the least recently used', async () => {
    const pages = new RenderedPages({ maxBytes: 10, maxRendering: 1 });
    const render = jest.fn(async () => page('12345'));
    for (const key of ['a', 'b', 'a', 'c', 'a', 'b']) await pages.get('v1', key, render);
    // a, b rendered; a used again; c pushes out b (least recently used); a kept; b rendered again.
    expect(render).toHaveBeenCalledTimes(4);
    expect(pages.keptBytes).toBe(10);
  });
});
