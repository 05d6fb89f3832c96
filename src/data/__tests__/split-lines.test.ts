import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { Event } from '../dataset';
import { splitLines } from '../read-ndjson';
import { sortEvents } from '../sort-events';

/** The lines readline gives for `text`, and the hash of each followed by a newline (what the loader did before). */
async function viaReadline(text: string): Promise<{ lines: string[]; hash: string }> {
  const hash = createHash('sha256');
  const lines: string[] = [];
  for await (const line of createInterface({ input: Readable.from([text]), crlfDelay: Infinity })) {
    lines.push(line);
    hash.update(`${line}\n`);
  }
  return { lines, hash: hash.digest('hex') };
}

/** The same through splitLines, fed in chunks of `size` the way the loader feeds it. */
function viaSplitLines(text: string, size: number): { lines: string[]; hash: string } {
  const hash = createHash('sha256');
  const lines: string[] = [];
  let rest = '';
  for (let i = 0; i < text.length; i += size) {
    const chunk = rest + text.slice(i, i + size);
    const end = chunk.lastIndexOf('\n') + 1;
    rest = chunk.slice(end);
    if (end) splitLines(chunk, end, hash, (line) => lines.push(line));
  }
  if (rest) splitLines(`${rest}\n`, rest.length + 1, hash, (line) => lines.push(line));
  return { lines, hash: hash.digest('hex') };
}

describe('splitLines', () => {
  const texts = [
    '{"a":1}\n{"b":2}\n',
    '{"a":1}\n\n{"b":2}',
    'one\r\ntwo\r\nthree',
    'one\rtwo\r\rthree\r\n',
    'ends with a return\r',
    '\n\n\n',
    '',
    'é ü 中文\nmixed\r\nendings\nhere\r',
    'x'.repeat(50) + '\r\n' + 'y'.repeat(30),
  ];

  it.each(texts.map((t) => [JSON.stringify(t).slice(0, 40), t]))('splits %s as readline does, line for line and hash for hash', async (_name, text) => {
    const expected = await viaReadline(text);
    for (const size of [1, 3, 7, 1 << 20]) expect(viaSplitLines(text, size)).toEqual(expected);
  });
});

describe('sortEvents', () => {
  const e = (date: string, slug: string) => ({ date, slug }) as Event;
  const key = (events: Event[]) => events.map((x) => `${x.date}|${x.slug}`);
  const byKey = (a: Event, b: Event) => (`${a.date}|${a.slug}` < `${b.date}|${b.slug}` ? -1 : 1);

  it('orders by date then slug, whether dates come in order (slugs out of order within a day) or not', () => {
    const inDateOrder = [e('2012-01-01', 'b'), e('2012-01-01', 'a'), e('2012-01-02', 'a'), e('2012-01-03', 'z'), e('2012-01-03', 'c'), e('2012-01-03', 'm')];
    const shuffled = [e('2012-01-03', 'c'), e('2012-01-01', 'b'), e('2012-01-02', 'a'), e('2012-01-01', 'a')];
    for (const events of [inDateOrder, shuffled, [], [e('2012-01-01', 'x')]]) {
      const expected = key([...events].sort(byKey));
      expect(key(sortEvents([...events]))).toEqual(expected);
    }
  });
});
