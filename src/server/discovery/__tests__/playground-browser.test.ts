/**
 * The playground in a real browser (Debian's Chromium driven by playwright-core): it loads from this
 * server alone, opens on the timeline example, runs it with the Run button and shows the answer.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildSchema } from 'graphql';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../test-support/chromium';
import { loadDataset } from '../../../data/load-dataset';
import { EXAMPLE_OPERATIONS, TIMELINE_EXAMPLE } from '../../../playground/example-operations';
import { EventStore } from '../../../store/event-store';
import { createServer, type DatelineServer } from '../../create-server';

const root = path.resolve(__dirname, '..', '..', '..', '..');

declare global {
  // GraphiQL keeps its Monaco instance here; the test reads the editors through it.
  var __MONACO: typeof import('monaco-editor') | undefined;
}

/** GraphiQL's editors, by the name at the end of their model's URI. */
type EditorName = 'operation.graphql' | 'variables.json' | 'response.json';

/** The text in one of GraphiQL's editors, or null while that editor does not exist yet. */
function editorText(page: Page, name: EditorName): Promise<string | null> {
  return page.evaluate((wanted) => {
    const editor = globalThis.__MONACO?.editor.getEditors().find((e) => e.getModel()?.uri.path.endsWith(wanted));
    return editor ? editor.getValue() : null;
  }, name);
}

/** Waits until the editor `name` holds text containing `part`. */
async function waitForEditorText(page: Page, name: EditorName, part: string): Promise<void> {
  await page.waitForFunction(
    ([wanted, text]) => globalThis.__MONACO?.editor.getEditors().some((e) => e.getModel()?.uri.path.endsWith(wanted) && e.getValue().includes(text)),
    [name, part] as const,
  );
}

describe('the playground in a browser', () => {
  let server: DatelineServer;
  let endpoint: string;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];
  const failed: string[] = [];

  beforeAll(async () => {
    const store = new EventStore(await loadDataset(path.join(root, 'events')));
    server = await createServer({ store, logger: pino({ level: 'silent' }) });
    endpoint = await server.listen(0, '127.0.0.1');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('request', (request) => requested.push(request.url()));
    page.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens on the timeline example, runs it with the Run button and shows the answer', async () => {
    await page.goto(endpoint);
    await waitForEditorText(page, 'operation.graphql', 'query Timeline');
    await waitForEditorText(page, 'variables.json', '"from"');
    expect(await editorText(page, 'operation.graphql')).toBe(TIMELINE_EXAMPLE.query);
    expect(JSON.parse((await editorText(page, 'variables.json')) ?? 'null')).toEqual(TIMELINE_EXAMPLE.variables);

    await page.getByRole('button', { name: /^Execute query/ }).click();
    await waitForEditorText(page, 'response.json', '"data"');
    const shown = JSON.parse((await editorText(page, 'response.json')) ?? 'null');

    // The same operation sent straight to the server: the page must show exactly that answer.
    const direct = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: TIMELINE_EXAMPLE.query, variables: TIMELINE_EXAMPLE.variables }),
    }).then((res) => res.json());
    expect(shown).toEqual(direct);
    expect(shown.errors).toBeUndefined();

    // And it holds real data: the Hama bombing's casualty figure as its data file gives it.
    const hama = JSON.parse(readFileSync(path.join(root, 'events', '2012-11-05-hama-checkpoint-suicide-car-bombing.json'), 'utf8'));
    const shownHama = shown.data.timeline.flatMap((day: { events: unknown[] }) => day.events).find((e: { title: string }) => e.title === hama.title);
    expect(shownHama.casualties).toEqual(
      hama.casualties.map((c: { kind: string; count: number; qualifier: string; victims: string }) => expect.objectContaining({ kind: c.kind, count: c.count, qualifier: c.qualifier, victims: c.victims })),
    );
    // The response pane itself (the rendered lines, not only the editor's model) shows the answer.
    await expect(page.locator('.graphiql-response').innerText()).resolves.toContain('"timeline"');
  });

  it('loads an example with one click from the Examples pane', async () => {
    const example = EXAMPLE_OPERATIONS.find((e) => e.name === 'SourceBySlug')!;
    await page.locator(`button[data-example="${example.name}"]`).click();
    await waitForEditorText(page, 'operation.graphql', `query ${example.name}`);
    expect(await editorText(page, 'operation.graphql')).toBe(example.query);
    expect(JSON.parse((await editorText(page, 'variables.json')) ?? 'null')).toEqual(example.variables);
  });

  it('keeps GraphiQL\'s History beside Examples, listing the operation run above', async () => {
    await page.getByRole('button', { name: 'Show History' }).click();
    await page.locator('.graphiql-history').waitFor();
    await expect(page.locator('.graphiql-history').innerText()).resolves.toContain(TIMELINE_EXAMPLE.query.match(/query (\w+)/)![1]);
  });

  it('shows the schema descriptions in the docs explorer', async () => {
    const sdl = buildSchema(readFileSync(path.join(root, 'schema.graphql'), 'utf8'));
    const timeline = sdl.getQueryType()!.getFields().timeline;
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).click();
    await expect(page.locator('.graphiql-doc-explorer').getByText(timeline.description!).first().isVisible()).resolves.toBe(true);
  });

  it('requested nothing from any host but this server', async () => {
    const origin = new URL(endpoint).origin;
    const expected = [`${origin}/playground/main.js`, `${origin}/playground/main.css`, `${origin}/playground/workers/graphql.worker.js`];
    // The editor's workers start lazily; on a loaded machine they can come after the tests above.
    for (let waited = 0; waited < 15_000 && !expected.every((url) => requested.includes(url)); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const elsewhere = requested.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
    expect(elsewhere).toEqual([]);
    // A request the page itself cancelled (e.g. a superseded worker load) is not a failure to load.
    expect(failed.filter((line) => !line.endsWith('net::ERR_ABORTED'))).toEqual([]);
    // Sanity: the bundle, its styles and the editor workers did come from this server.
    expect(requested).toEqual(expect.arrayContaining(expected));
  });
});
