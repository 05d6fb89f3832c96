import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { generateDataset } from '../../../bench/generate-dataset';
import { loadDataset } from '../../../data/load-dataset';
import { EventStore } from '../../../store/event-store';
import { createServer, type DatelineServer } from '../../create-server';

const TIMELINE = 'query Day($from: Date!, $to: Date!) { timeline(from: $from, to: $to) { date events { slug title place { name ancestors { slug } } } } }';
const PAGE = 'query Next($after: String) { events(first: 1, after: $after) { edges { cursor node { slug title summary } } } }';

describe('fast path learning and its entity cache', () => {
  let dir: string;
  let store: EventStore;
  let server: DatelineServer;
  let bare: DatelineServer;
  let url: string;
  let bareUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'dateline-fast-path-learning-'));
    await generateDataset(dir, 400);
    store = new EventStore(await loadDataset(dir));
    server = await createServer({ store, logger: pino({ level: 'silent' }), responseCacheEntries: 0 });
    bare = await createServer({ store, logger: pino({ level: 'silent' }), responseCacheEntries: 0, entityJsonBytes: 0 });
    [url, bareUrl] = await Promise.all([server.listen(0, '127.0.0.1'), bare.listen(0, '127.0.0.1')]);
  });
  afterAll(async () => {
    await Promise.all([server.stop(), bare.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (to: string, query: string, variables: Record<string, unknown>) => {
    const res = await fetch(to, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    return { status: res.status, text: await res.text() };
  };

  it('reuses entities of a document first learned from an answer that held none, once a later answer holds some', async () => {
    const empty = await post(url, TIMELINE, { from: '1990-01-01', to: '1990-01-02' });
    expect(JSON.parse(empty.text).data).toEqual({ timeline: [] });
    const days = store.timeline('2012-01-01', '2012-03-31', {}).filter((day) => day.events.length > 0);
    expect(days.length).toBeGreaterThan(3);
    for (const day of days.slice(0, 4)) {
      const variables = { from: day.date, to: day.date };
      expect(await post(url, TIMELINE, variables)).toEqual(await post(bareUrl, TIMELINE, variables));
    }
    // The plan was checked on the first day with events and used from then on: those days' events are kept.
    expect(server.fastPath!.entitiesKept).toBeGreaterThan(0);
  });

  it('keeps the entity of every answer, even when each answer holds only new ones', async () => {
    let after: string | null = null;
    await post(url, PAGE, { after }); // learned from Apollo's answer
    const kept = server.fastPath!.entitiesKept;
    for (let i = 0; i < 40; i++) {
      const answer = await post(url, PAGE, { after });
      expect(answer).toEqual(await post(bareUrl, PAGE, { after }));
      after = (JSON.parse(answer.text) as { data: { events: { edges: { cursor: string }[] } } }).data.events.edges[0].cursor;
    }
    // Every answer missed its one entity. After a few such answers the document runs its full document, whose result
    // gives the answer and keeps the entity (the whole document, run before in that case, kept none).
    expect(server.fastPath!.entitiesKept - kept).toBeGreaterThanOrEqual(39);
  });

  it('keeps no more bytes of entities\' JSON than its bound, dropping the oldest', async () => {
    const small = await createServer({ store, logger: pino({ level: 'silent' }), responseCacheEntries: 0, entityJsonBytes: 8_000 });
    const smallUrl = await small.listen(0, '127.0.0.1');
    try {
      const days = store.timeline('2013-01-01', '2013-12-31', {}).filter((day) => day.events.length > 0);
      for (const day of days.slice(0, 40)) {
        const variables = { from: day.date, to: day.date };
        expect(await post(smallUrl, TIMELINE, variables)).toEqual(await post(bareUrl, TIMELINE, variables));
      }
      expect(small.fastPath!.entityBytesKept).toBeGreaterThan(6_000);
      expect(small.fastPath!.entityBytesKept).toBeLessThanOrEqual(8_000);
    } finally {
      await small.stop();
    }
  });

  it('reuses entities of a document whose first answers, given by Apollo at the same time, held none and some', async () => {
    const query = 'query Burst($from: Date!, $to: Date!) { timeline(from: $from, to: $to) { events { slug summary } } }';
    const days = store.timeline('2012-04-01', '2012-12-31', {}).filter((day) => day.events.length > 0);
    const windows = [...['1990-01-01', '1990-02-01', '1990-03-01', '1990-04-01'].map((date) => ({ from: date, to: date })), ...days.slice(0, 4).map((d) => ({ from: d.date, to: d.date }))];
    const kept = server.fastPath!.entitiesKept;
    const answers = await Promise.all(windows.map((variables) => post(url, query, variables)));
    for (const [i, variables] of windows.entries()) expect(answers[i]).toEqual(await post(bareUrl, query, variables));
    for (const day of days.slice(4, 8)) {
      const variables = { from: day.date, to: day.date };
      expect(await post(url, query, variables)).toEqual(await post(bareUrl, query, variables));
    }
    expect(server.fastPath!.entitiesKept).toBeGreaterThan(kept);
  });
});
