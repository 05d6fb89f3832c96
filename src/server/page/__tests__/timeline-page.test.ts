import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildPage } from '../../../cli/build-page';
import { loadDataset } from '../../../data/load-dataset';
import { EventStore } from '../../../store/event-store';
import { createServer, type DatelineServer } from '../../create-server';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let store: EventStore;
let server: DatelineServer;
let browser: Browser;
let page: Page;
let base: string;
let outDir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser test needs Debian's Chromium at ${CHROMIUM}: run "apt-get update && apt-get install -y chromium" (.ci/run does this in CI).`);
  }
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dateline-page-'));
  await buildPage(path.join(outDir, 'public'));
  store = new EventStore(await loadDataset('events'));
  server = await createServer({ store, logger: pino({ level: 'silent' }), pageDir: path.join(outDir, 'public') });
  base = (await server.listen(0, '127.0.0.1')).replace(/\/graphql$/, '');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
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

const expectedDays = (filter: Parameters<EventStore['all']>[0] = {}) =>
  Object.fromEntries(store.timeline(null, null, filter).map((d) => [d.date, d.events.map((e) => e.slug)]));

describe('the timeline page at /', () => {
  it('shows the events of 4 and 5 November 2012 with places, participants, casualties, sources and quotes', async () => {
    await page.goto(`${base}/`);
    await settled();
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
    await page.screenshot({ path: path.join(outDir, 'timeline.png'), fullPage: true });
    expect((await fs.stat(path.join(outDir, 'timeline.png'))).size).toBeGreaterThan(10_000);
  });

  it('filters by category, and by place and date range', async () => {
    await page.selectOption('#filter-category', 'DIPLOMACY');
    await settled();
    expect(await shownDays()).toEqual(expectedDays({ categories: ['DIPLOMACY'] }));
    expect(new URL(page.url()).searchParams.get('category')).toBe('DIPLOMACY');

    await page.click('#filter-reset');
    await page.selectOption('#filter-place', 'syria');
    await page.fill('#filter-from', '2012-11-05');
    await page.fill('#filter-to', '2012-11-05');
    await page.dispatchEvent('#filter-to', 'change');
    await settled();
    const filtered = expectedDays({ places: ['syria'], from: '2012-11-05', to: '2012-11-05' });
    expect(Object.keys(filtered)).toEqual(['2012-11-05']);
    expect(await shownDays()).toEqual(filtered);
    expect(await page.getAttribute('a[data-export="events.ics"]', 'href')).toBe('/exports/events.ics?places=syria&from=2012-11-05&to=2012-11-05');
    await page.screenshot({ path: path.join(outDir, 'timeline-filtered.png'), fullPage: true });
    process.stdout.write(`screenshots in ${outDir}\n`);
  });
});
