/**
 * Subscriptions through the real server with real changes: mutations over HTTP and hand edits of the data folder
 * reach WebSocket and event-stream subscribers, filtered; RESYNC and resuming with changes(after:) miss nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startEditingServer, type EditingTestServer } from '../../../test-support/editing-server';
import { DEFAULT_LIVE } from '../live-options';
import { openInitialisedSocket, readStream, sleep, streamEvents, waitForSubscribers, type RawSocket } from './live-server';

let t: EditingTestServer;
let wsUrl: string;
let streamUrl: string;

beforeAll(async () => {
  t = await startEditingServer({ watch: true, server: { liveOptions: { ...DEFAULT_LIVE, liveQueueLimit: 2 } } });
  wsUrl = t.url.replace(/^http/, 'ws');
  streamUrl = `${t.url}/stream`;
});
afterAll(() => t.stop());

const FOLLOW = 'subscription F($filter: EventFilter) { eventChanged(filter: $filter) { cursor kind editor revision entity { ... on Event { slug title category status } } } }';

/** Current revision of an event. */
async function revisionOf(slug: string): Promise<number> {
  return (await t.graphql(`{ event(slug: "${slug}") { revision } }`)).body.data!.event.revision as number;
}

async function update(slug: string, patch: Record<string, unknown>): Promise<void> {
  const res = await t.edit('mutation U($slug: String!, $rev: Int!, $patch: EventPatch!) { updateEvent(input: { slug: $slug, expectedRevision: $rev, patch: $patch, note: "test" }) { userErrors { message } } }', {
    slug,
    rev: await revisionOf(slug),
    patch,
  });
  expect(res.body.data!.updateEvent.userErrors).toEqual([]);
}

/** The `next` payloads a raw socket received for subscription `id`. */
const nexts = (raw: RawSocket, id: string) => raw.messages.filter((m) => m.id === id && m.type === 'next').map((m) => m.payload);

it('delivers mutations to WebSocket and event-stream subscribers, each only what its filter matched before or after', async () => {
  const raw = await openInitialisedSocket(wsUrl);
  raw.send({ id: 'bombings', type: 'subscribe', payload: { query: FOLLOW, variables: { filter: { categories: ['BOMBING'] } } } });
  const stream = await fetch(`${streamUrl}?${new URLSearchParams({ query: FOLLOW })}`, { headers: { accept: 'text/event-stream' } });
  await waitForSubscribers(t.service.live, 2);

  await update('idlib-air-strike', { title: 'Air strike kills fighters in Idlib Province' });
  await update('hama-checkpoint-suicide-car-bombing', { category: 'ARMED_CLASH' });
  await update('hama-checkpoint-suicide-car-bombing', { title: 'Attack on an army checkpoint in Hama Province' });
  await sleep(300);

  const streamed = streamEvents(await readStream(stream, (text) => (text.match(/event: next/g) ?? []).length >= 3));
  expect(streamed.map((e) => e.data.data.eventChanged.entity.slug)).toEqual(['idlib-air-strike', 'hama-checkpoint-suicide-car-bombing', 'hama-checkpoint-suicide-car-bombing']);
  // The bombing subscriber gets the change that made Hama an armed clash (it was a bombing before), and no more.
  expect(nexts(raw, 'bombings')).toEqual([
    { data: { eventChanged: { cursor: streamed[1].data.data.eventChanged.cursor, kind: 'UPDATED', editor: 'Night desk', revision: 2, entity: expect.objectContaining({ slug: 'hama-checkpoint-suicide-car-bombing', category: 'ARMED_CLASH' }) } } },
  ]);
  raw.socket.close();
  await waitForSubscribers(t.service.live, 0);
});

it('turns hand edits of the folder into changes for subscribers; one that falls behind gets RESYNC and resumes with changes(after:) missing nothing', async () => {
  const raw = await openInitialisedSocket(wsUrl);
  raw.send({ id: 'all', type: 'subscribe', payload: { query: FOLLOW } });
  await waitForSubscribers(t.service.live, 1);
  const before = (await t.graphql('{ changes(first: 100) { totalCount } }')).body.data!.changes.totalCount as number;

  // Four files saved at once (as a git pull would): the watcher commits them together, a burst larger than the queue.
  const files = ['2012-06-01-geneva-declaration.json', '2012-11-04-damascus-fighting-tadamon-yarmouk.json', '2012-11-05-lavrov-cairo-press-conference.json', '2012-11-05-syrian-opposition-talks-in-qatar.json'];
  for (const file of files) {
    const full = path.join(t.dir, file);
    const record = JSON.parse(readFileSync(full, 'utf8')) as { summary: string };
    writeFileSync(full, `${JSON.stringify({ ...record, summary: `${record.summary} (Edited by hand.)` }, null, 2)}\n`);
  }
  const resync = await raw.waitFor((m) => m.id === 'all' && m.type === 'next' && m.payload.errors, 10_000);
  await raw.waitFor((m) => m.id === 'all' && m.type === 'complete');
  const delivered = nexts(raw, 'all').filter((p) => p.data).map((p) => p.data.eventChanged);
  expect(delivered.every((c: { editor: string }) => c.editor === 'files')).toBe(true);
  const { cursor } = resync.payload.errors[0].extensions;
  expect(resync.payload.errors[0].extensions.code).toBe('RESYNC');
  expect(cursor).toBe(delivered[delivered.length - 1].cursor);

  const resumed = (await t.graphql(`{ changes(first: 100, after: "${cursor}") { nodes { cursor editor entity { ... on Event { slug } } } } }`)).body.data!.changes.nodes as { cursor: string; entity: { slug: string } }[];
  const all = (await t.graphql(`{ changes(first: 100) { nodes { cursor entity { ... on Event { slug } } } } }`)).body.data!.changes.nodes.slice(before) as { cursor: string; entity: { slug: string } }[];
  // What was delivered and what the feed gives after the RESYNC cursor are all four edits, each once, in order.
  expect([...delivered.map((c: { cursor: string }) => c.cursor), ...resumed.map((c) => c.cursor)]).toEqual(all.map((c) => c.cursor));
  expect(all.map((c) => c.entity.slug).sort()).toEqual(files.map((f) => f.replace(/^\d{4}-\d\d-\d\d-/, '').replace(/\.json$/, '')).sort());
  expect(resumed.length).toBeGreaterThan(0);
  raw.socket.close();
});
