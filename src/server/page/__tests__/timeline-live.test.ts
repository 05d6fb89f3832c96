/** The timeline page follows changes: a mutation through the API shows on the open page, marked, without a reload. */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../test-support/chromium';
import { buildPage } from '../../../cli/build-page';
import { startEditingServer, type EditingTestServer } from '../../../test-support/editing-server';

const SLUG = 'idlib-air-strike';

let server: EditingTestServer;
let browser: Browser;
let page: Page;
let base: string;
let outDir: string;

beforeAll(async () => {
  outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'dateline-live-page-'));
  await buildPage(path.join(outDir, 'public'));
  server = await startEditingServer({ server: { pageDir: path.join(outDir, 'public') } });
  base = server.url.replace(/\/graphql$/, '');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fs.rm(outDir, { recursive: true, force: true });
});

/** The text of the event's card, on one line. */
const cardText = () => page.locator(`#event-${SLUG}`).innerText().then((t) => t.replace(/\s+/g, ' '));

it('shows a corrected event within a second, marked "updated HH:MM", then a retraction with its reason', async () => {
  await page.goto(`${base}/`);
  await page.waitForFunction(`document.getElementById('live').dataset.state === 'live'`);
  expect(await cardText()).not.toContain('updated');

  const update = await server.edit(
    `mutation { updateEvent(input: { slug: "${SLUG}", expectedRevision: 1, patch: { title: "Air strike on a rebel position in Idlib Province" }, note: "Title corrected" }) { event { revision updatedAt } userErrors { message } } }`,
  );
  expect(update.body.data!.updateEvent.userErrors).toEqual([]);
  const acknowledged = Date.now();
  await page.waitForFunction(`document.querySelector('#event-${SLUG} .event-title').textContent === 'Air strike on a rebel position in Idlib Province'`, undefined, { timeout: 5000 });
  expect(Date.now() - acknowledged).toBeLessThan(1000);
  const at = new Date(update.body.data!.updateEvent.event.updatedAt as string);
  const clock = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  expect(await cardText()).toContain(`updated ${clock}`);
  expect(await page.locator(`#event-${SLUG}`).getAttribute('class')).toContain('just-changed');

  const retract = await server.edit(`mutation { retractEvent(input: { slug: "${SLUG}", expectedRevision: 2, reason: "The strike was not confirmed" }) { userErrors { message } } }`);
  expect(retract.body.data!.retractEvent.userErrors).toEqual([]);
  await page.waitForFunction(`document.querySelector('#event-${SLUG}').dataset.status === 'RETRACTED'`, undefined, { timeout: 5000 });
  expect(await cardText()).toContain('retracted: The strike was not confirmed');
});

it('shows an event created through the API, marked "added"', async () => {
  const create = await server.edit(`mutation C($event: EventInput!) { createEvent(input: { event: $event, note: "From the wires" }) { event { slug } userErrors { message field } } }`, {
    event: {
      slug: 'aleppo-clashes-live-test',
      title: 'Clashes reported in Aleppo',
      summary: 'A test event created while the page is open.',
      category: 'ARMED_CLASH',
      date: '2012-11-05',
      precision: 'DAY',
      place: 'syria',
      sources: [{ source: (await server.graphql('{ sources(first: 1) { nodes { slug } } }')).body.data!.sources.nodes[0].slug }],
    },
  });
  expect(create.body.data!.createEvent.userErrors).toEqual([]);
  await page.waitForSelector('#event-aleppo-clashes-live-test', { timeout: 5000 });
  expect((await page.locator('#event-aleppo-clashes-live-test').innerText()).replace(/\s+/g, ' ')).toMatch(/added \d\d:\d\d/);
});
