/**
 * `npm run bench:live`: live updates measured with the server and the subscribers in separate processes.
 *
 *   npm run bench:live -- [--subscribers 10000] [--broadcasts 10] [--sustained 1000] [--rate 100] [--seconds 10] [--out FILE]
 *
 * 1. `--subscribers` WebSocket subscriptions held open on one server process: its RSS per idle subscription, and
 *    `--broadcasts` single changes each delivered to all of them (latency from the mutation's acknowledgement).
 * 2. `--sustained` WebSocket subscribers, then as many event streams, while `--rate` changes/s are made for
 *    `--seconds`: latency from each acknowledgement, changes missed, RESYNC errors.
 * The server is the built service (`dist/index.js`) over a copy of the default data, editing on; the data changes
 * through real `updateEvent` mutations over HTTP.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { newToken, tokenHash, writeEditors } from '../server/auth/editors-file';
import { clock, type SubscriberCommand, type SubscriberReply } from './live-subscribers';

interface Options {
  subscribers: number;
  broadcasts: number;
  sustained: number;
  rate: number;
  seconds: number;
  out: string;
}

/** Latency figures in milliseconds. */
interface Latency {
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

const ROOT = path.resolve(__dirname, '..', '..');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => process.stdout.write(`${line}\n`);

function latency(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { samples: sorted.length, p50: round(at(50)), p99: round(at(99)), max: round(sorted[sorted.length - 1] ?? NaN) };
}

/** The server's resident memory, from /proc. */
function rssBytes(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}

/** Starts the built server on a copy of the data with one editor; resolves with its URL once it listens. */
function startServer(dir: string, editorsFile: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'index.js')], {
    cwd: ROOT,
    env: { ...process.env, EVENTS_DIR: dir, EDITORS_FILE: editorsFile, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', LIVE_MAX_CONNECTIONS: '50000', PLAYGROUND: 'false' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const url = (JSON.parse(line) as { url?: string }).url;
        if (url) resolve({ url, child });
      } catch {
        // Not a log line; the server only logs JSON, so nothing to look at.
      }
    });
  });
}

/** The subscriber process and a way to ask it things. */
function startSubscribers(): { ask(command: SubscriberCommand): Promise<SubscriberReply>; child: ChildProcess } {
  const file = path.join(__dirname, `live-subscribers${path.extname(__filename)}`);
  const child = fork(file, [], { execArgv: file.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only'] : [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    child,
    ask: (command) =>
      new Promise((resolve) => {
        child.once('message', (reply) => resolve(reply as SubscriberReply));
        child.send(command);
      }),
  };
}

/** Edits events through `updateEvent`, each with the revision it has; keys name the change (`slug:revision`). */
class Editor {
  private readonly revisions = new Map<string, number>();
  private readonly busy = new Set<string>();
  private turn = 0;
  /** Why edits failed, if any did. */
  readonly failures: string[] = [];

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly slugs: string[],
  ) {}

  private async post(query: string, variables: Record<string, unknown> = {}): Promise<any> {
    const res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` }, body: JSON.stringify({ query, variables }) });
    return res.json();
  }

  async load(): Promise<void> {
    for (const slug of this.slugs) this.revisions.set(slug, (await this.post(`{ event(slug: "${slug}") { revision } }`)).data.event.revision);
  }

  /** Edits the next event not being edited; null when all are. Resolves with the change's key and the times. */
  async edit(): Promise<{ key: string; sent: number; acknowledged: number } | null> {
    let chosen: string | undefined;
    for (let i = 0; i < this.slugs.length && !chosen; i++) {
      const slug = this.slugs[(this.turn + i) % this.slugs.length];
      if (!this.busy.has(slug)) {
        chosen = slug;
        this.turn += i + 1;
      }
    }
    if (!chosen) return null;
    this.busy.add(chosen);
    const revision = this.revisions.get(chosen)!;
    const sent = clock();
    const body = await this.post(
      'mutation Bench($slug: String!, $rev: Int!, $title: String!) { updateEvent(input: { slug: $slug, expectedRevision: $rev, patch: { title: $title }, note: "bench" }) { event { revision } userErrors { message } } }',
      { slug: chosen, rev: revision, title: `Bench edit ${revision + 1}` },
    );
    const acknowledged = clock();
    this.busy.delete(chosen);
    const made = body.data?.updateEvent?.event?.revision as number | undefined;
    if (!made) {
      // Under heavy load a mutation can run into the execution deadline; it is counted, and the bench goes on.
      this.failures.push(JSON.stringify(body.errors ?? body).slice(0, 200));
      await this.load();
      return null;
    }
    this.revisions.set(chosen, made);
    return { key: `${chosen}:${made}`, sent, acknowledged };
  }
}

/** Waits until `count` subscribers have `key` (or 15 s passed); returns how many have. */
async function reached(ask: (c: SubscriberCommand) => Promise<SubscriberReply>, key: string, count: number): Promise<number> {
  let have = 0;
  for (let i = 0; i < 750 && have < count; i++) {
    have = ((await ask({ type: 'count', key })) as { count: number }).count;
    if (have < count) await sleep(20);
  }
  return have;
}

/** One edit that must succeed (to mark a phase's start): retried a few times. */
async function editOrFail(editor: Editor): Promise<{ key: string; sent: number; acknowledged: number }> {
  for (let i = 0; i < 5; i++) {
    const change = await editor.edit();
    if (change) return change;
  }
  throw new Error(`edits keep failing: ${editor.failures.slice(-1)[0]}`);
}

async function main(options: Options): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'dateline-bench-live-'));
  const dir = path.join(work, 'events');
  cpSync(path.join(ROOT, 'events'), dir, { recursive: true });
  const token = newToken();
  const editorsFile = path.join(work, 'editors.json');
  writeEditors(editorsFile, [{ name: 'Bench', tokenSha256: tokenHash(token), createdAt: new Date().toISOString() }]);
  const { url, child: server } = await startServer(dir, editorsFile);
  const subscribers = startSubscribers();
  const { ask } = subscribers;
  const wsUrl = url.replace(/^http/, 'ws');
  const streamUrl = `${url}/stream`;
  const editor = new Editor(url, token, ['hama-checkpoint-suicide-car-bombing', 'idlib-air-strike', 'lavrov-cairo-press-conference', 'syrian-opposition-talks-in-qatar', 'geneva-declaration', 'damascus-fighting-tadamon-yarmouk', 'lavrov-meets-elaraby-and-brahimi-in-cairo']);
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version }, options: { ...options, out: undefined } };
  try {
    await editor.load();
    // 1. Many idle subscriptions, and single changes to all of them.
    await editor.edit();
    await sleep(1000);
    const rssBefore = rssBytes(server.pid!);
    const opened = (await ask({ type: 'open', transport: 'ws', url: wsUrl, count: options.subscribers })) as Extract<SubscriberReply, { type: 'opened' }>;
    if (opened.failed) log(`  ${opened.failed} subscriptions could not open: ${opened.firstError}`);
    const warm = await editOrFail(editor);
    const subscribed = await reached(ask, warm.key, opened.open);
    await sleep(2000);
    const rssAfter = rssBytes(server.pid!);
    const perSubscription = (rssAfter - rssBefore) / subscribed;
    log(`${subscribed} WebSocket subscriptions on one server: RSS ${(rssBefore / 2 ** 20).toFixed(0)} MB -> ${(rssAfter / 2 ** 20).toFixed(0)} MB, ${(perSubscription / 1024).toFixed(1)} KB per idle subscription`);
    const broadcastLatencies: number[] = [];
    const broadcastFromSend: number[] = [];
    let missed = 0;
    for (let i = 0; i < options.broadcasts; i++) {
      await ask({ type: 'collect' });
      const change = await editOrFail(editor);
      missed += subscribed - (await reached(ask, change.key, subscribed));
      const { receipts } = (await ask({ type: 'collect' })) as Extract<SubscriberReply, { type: 'collected' }>;
      for (const at of receipts[change.key] ?? []) {
        broadcastLatencies.push(at - change.acknowledged);
        broadcastFromSend.push(at - change.sent);
      }
      await sleep(300);
    }
    const broadcast = latency(broadcastLatencies);
    const broadcastSend = latency(broadcastFromSend);
    log(`  one change to all ${subscribed}: from the acknowledgement p50 ${broadcast.p50} ms, p99 ${broadcast.p99} ms, max ${broadcast.max} ms; from sending the mutation p99 ${broadcastSend.p99} ms (${options.broadcasts} changes, ${missed} deliveries missing)`);
    results.broadcast = { subscribers: subscribed, failedToOpen: opened.failed, rssBeforeMB: rssBefore / 2 ** 20, rssAfterMB: rssAfter / 2 ** 20, rssPerIdleSubscriptionKB: perSubscription / 1024, latencyFromAckMs: broadcast, latencyFromSendMs: broadcastSend, missing: missed };
    await ask({ type: 'close' });
    await sleep(2000);

    // 2. A sustained rate of changes, to WebSocket and then to event-stream subscribers.
    for (const transport of ['ws', 'sse'] as const) {
      const open = (await ask({ type: 'open', transport, url: transport === 'ws' ? wsUrl : streamUrl, count: options.sustained })) as Extract<SubscriberReply, { type: 'opened' }>;
      const ready = await editOrFail(editor);
      const following = await reached(ask, ready.key, open.open);
      await ask({ type: 'collect' });
      const made: { key: string; sent: number; acknowledged: number }[] = [];
      const ackTimes: number[] = [];
      const start = clock();
      const inFlight: Promise<void>[] = [];
      let skipped = 0;
      for (let n = 0; n < options.rate * options.seconds; n++) {
        const due = start + (n * 1000) / options.rate;
        if (due > clock()) await sleep(due - clock());
        const edit = editor.edit().then((change) => {
          if (!change) return void skipped++; // every event busy, or the edit failed (see failedEdits)
          made.push(change);
          ackTimes.push(change.acknowledged - change.sent);
        });
        inFlight.push(edit);
      }
      await Promise.all(inFlight);
      const achieved = made.length / ((clock() - start) / 1000);
      await sleep(2000);
      const { receipts, resyncs, errors } = (await ask({ type: 'collect' })) as Extract<SubscriberReply, { type: 'collected' }>;
      const latencies: number[] = [];
      const fromSend: number[] = [];
      let missing = 0;
      for (const change of made) {
        const got = receipts[change.key] ?? [];
        missing += following - got.length;
        for (const at of got) {
          latencies.push(at - change.acknowledged);
          fromSend.push(at - change.sent);
        }
      }
      const l = latency(latencies);
      const ls = latency(fromSend);
      const name = transport === 'ws' ? 'WebSocket subscriptions' : 'event streams';
      log(`${following} ${name}, ${made.length} changes at ${achieved.toFixed(1)}/s: from the acknowledgement p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms; from sending p99 ${ls.p99} ms; ${missing} deliveries missing, ${resyncs} RESYNC, ${errors} other errors; mutation ack p99 ${latency(ackTimes).p99} ms`);
      results[transport === 'ws' ? 'sustainedWebSocket' : 'sustainedEventStream'] = { subscribers: following, changes: made.length, changesPerSecond: achieved, skipped, failedEdits: editor.failures.length, latencyFromAckMs: l, latencyFromSendMs: ls, missing, resyncs, errors, mutationAckMs: latency(ackTimes) };
      await ask({ type: 'close' });
      await sleep(2000);
    }
  } finally {
    subscribers.child.kill();
    server.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${options.out}`);
}

if (require.main === module) {
  const get = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const outAt = process.argv.indexOf('--out');
  const options: Options = {
    subscribers: get('subscribers', 10_000),
    broadcasts: get('broadcasts', 10),
    sustained: get('sustained', 1000),
    rate: get('rate', 100),
    seconds: get('seconds', 10),
    out: outAt >= 0 ? process.argv[outAt + 1] : path.join(ROOT, 'dist', 'bench-results', 'live.json'),
  };
  if (Object.values(options).some((v) => typeof v === 'number' && !(v > 0))) {
    process.stderr.write('usage: npm run bench:live -- [--subscribers N] [--broadcasts N] [--sustained N] [--rate N] [--seconds N] [--out FILE]\n');
    process.exit(2);
  }
  main(options).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench:live failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
