import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../test-support/chromium';
import { buildPage } from '../../../cli/build-page';
import { loadDataset } from '../../../data/load-dataset';
import { EventStore } from '../../../store/event-store';
import { createServer, type DatelineServer } from '../../create-server';


let store: EventStore;
let placeSlugs: string[];
let server: DatelineServer;
let browser: Browser;
let page: Page;
let base: string;
let outDir: string;

beforeAll(async () => {
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dateline-page-'));
  await buildPage(path.join(outDir, 'public'));
  const dataset = await loadDataset('events');
  placeSlugs = dataset.places.map((p) => p.slug);
  store = new EventStore(dataset);
  server = await createServer({ store, logger: pino({ level: 'silent' }), pageDir: path.join(outDir, 'public') });
  base = (await server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (outDir) await fs.rm(outDir, { recursive: true, force: true });
});

// Browser-side code is passed as text: the test's TypeScript has no DOM types.
const SHOWN_DAYS = `Object.fromEntries([...document.querySelectorAll('section.day')].map((d) =>
  [d.dataset.date, [...d.querySelectorAll('article.event')].map((a) => a.dataset.slug)]))`;
const SETTLED = `!document.body.hasAttribute('aria-busy') && document.getElementById('status').textContent !== 'Loading…'`;

/** The events the page shows, by day, in page order. */
async function shownDays(): Promise<Record<string, string[]>> {
  return page.evaluate<Record<string, string[]>>(SHOWN_DAYS);
}

async function settled(): Promise<void> {
  await page.waitForFunction(SETTLED);
}

/** The events the page should show, by the period it should show them under: a day, or the month or year when that is all that is known. */
const expectedDays = (filter: Parameters<EventStore['all']>[0] = {}) => {
  const periods: Record<string, string[]> = {};
  for (const e of store.all(filter)) {
    const key = e.precision === 'YEAR' ? e.date.slice(0, 4) : e.precision === 'MONTH' ? e.date.slice(0, 7) : e.date;
    (periods[key] ??= []).push(e.slug);
  }
  return periods;
};

describe('the timeline page at /', () => {
  it('shows the events of 4 and 5 November 2012 with places, participants, casualties, sources and quotes', async () => {
    const failed: string[] = [];
    page.on('response', (res) => {
      if (res.status() >= 400) failed.push(`${res.status()} ${res.url()}`);
    });
    await page.goto(`${base}/`);
    await settled();
    expect(failed).toEqual([]); // the page, its script, its queries and the browser's /favicon.ico
    const days = await shownDays();
    expect(days).toEqual(expectedDays());
    expect(days['2012-11-04'].length).toBeGreaterThan(0);
    expect(days['2012-11-05'].length).toBeGreaterThan(0);

    for (const e of store.all({ from: '2012-11-04', to: '2012-11-05' })) {
      const card = page.locator(`#event-${e.slug}`);
      const text = (await card.innerText()).replace(/\s+/g, ' ');
      expect(text).toContain(e.title);
      expect(text).toContain(e.displayDate);
      expect(text).toContain(store.place(e.place)!.name);
      for (const p of e.participants) expect(text).toContain(store.actor(p.actor)!.name);
      for (const a of e.sources) expect(text).toContain(store.source(a.source)!.name);
      for (const q of e.quotes) expect(text).toContain(q.text.replace(/\s+/g, ' '));
      for (const c of e.casualties) {
        const qualifier = { EXACTLY: '', AT_LEAST: 'at least ', MORE_THAN: 'more than ', ABOUT: 'about ', UP_TO: 'up to ' }[c.qualifier];
        expect(text.toLowerCase()).toContain(`${qualifier}${c.count} ${c.kind.toLowerCase()} ${c.victims}`.toLowerCase());
      }
    }
    // An event known only to the month is under its month, not under the first day of it.
    const headings = await page.$$eval('section.day h2 time', (times) => times.map((t) => [t.getAttribute('datetime'), t.textContent]));
    expect(headings).toContainEqual(['2012-06', 'June 2012']);
    expect(headings.map(([, text]) => text)).not.toContain('Friday 1 June 2012');
    await page.screenshot({ path: path.join(outDir, 'timeline.png'), fullPage: true });
    expect((await fs.stat(path.join(outDir, 'timeline.png'))).size).toBeGreaterThan(10_000);
  });

  it('lists the places as a tree: each under the place it lies in, siblings in alphabetical order', async () => {
    const options = await page.evaluate<{ slug: string; depth: number }[]>(
      `[...document.querySelectorAll('#filter-places option')].map((o) => ({ slug: o.value, depth: Number(o.dataset.depth) }))`,
    );
    expect(options.map((o) => o.slug).sort()).toEqual(placeSlugs.sort());
    const parents: (string | null)[] = [];
    for (const [i, o] of options.entries()) {
      parents[o.depth] = o.slug;
      const parent = o.depth === 0 ? null : parents[o.depth - 1];
      expect([o.slug, parent]).toEqual([o.slug, store.place(o.slug)!.parent]);
      const previous = options.slice(0, i).reverse().find((p) => p.depth <= o.depth);
      if (previous?.depth === o.depth) expect(store.place(previous.slug)!.name.localeCompare(store.place(o.slug)!.name)).toBeLessThan(0);
    }
    expect(options.slice(0, 2)).toEqual([{ slug: 'egypt', depth: 0 }, { slug: 'cairo', depth: 1 }]);
  });

  it('filters by several categories, by several places and dates, and by words, as the API does', async () => {
    await page.check('#filter-categories input[value="DIPLOMACY"]');
    await page.check('#filter-categories input[value="BOMBING"]');
    await settled();
    expect(await shownDays()).toEqual(expectedDays({ categories: ['DIPLOMACY', 'BOMBING'] }));
    expect(new URL(page.url()).searchParams.get('categories')).toBe('DIPLOMACY,BOMBING');

    await page.click('#filter-reset');
    await page.selectOption('#filter-places', ['damascus', 'hama-province']);
    await page.fill('#filter-from', '2012-11-04');
    await page.fill('#filter-to', '2012-11-05');
    await page.dispatchEvent('#filter-to', 'change');
    await settled();
    const filtered = expectedDays({ places: ['damascus', 'hama-province'], from: '2012-11-04', to: '2012-11-05' });
    expect(Object.keys(filtered)).toEqual(['2012-11-04', '2012-11-05']);
    expect(await shownDays()).toEqual(filtered);
    expect(await page.getAttribute('a[data-export="events.ics"]', 'href')).toBe('/exports/events.ics?places=damascus%2Chama-province&from=2012-11-04&to=2012-11-05');

    await page.click('#filter-reset');
    await page.fill('#filter-search', 'geneva');
    await page.waitForFunction(`new URL(location.href).searchParams.get('search') === 'geneva'`);
    await settled();
    const found = expectedDays({ search: 'geneva' });
    expect(Object.keys(found).length).toBeGreaterThan(1);
    expect(await shownDays()).toEqual(found);
    expect(await page.getAttribute('a[data-export="timelinejs.json"]', 'href')).toBe('/exports/timelinejs.json?search=geneva');
    await page.screenshot({ path: path.join(outDir, 'timeline-filtered.png'), fullPage: true });
  });

  it('opens links with the single-value parameters of earlier versions', async () => {
    await page.goto(`${base}/?category=STATEMENT&place=cairo`);
    await settled();
    expect(await shownDays()).toEqual(expectedDays({ categories: ['STATEMENT'], places: ['cairo'] }));
  });
});
