/**
 * `npm run bench:live`: live updates measured with the server and the subscribers in separate processes.
 *
 *   npm run bench:live -- [--subscribers 10000] [--broadcasts 10] [--sustained 1000] [--rate 100] [--seconds 10]
 *                         [--events 1000] [--out FILE] [--profile DIR]
 *
 * 1. `--subscribers` WebSocket subscriptions held open on one server process: its RSS per idle subscription, and
 *    `--broadcasts` single changes each delivered to all of them (latency from the mutation's acknowledgement).
 * 2. `--sustained` WebSocket subscribers, then as many event streams, while `--rate` changes/s are asked for
 *    `--seconds`, open loop (each edit is sent when it is due, whether or not earlier ones were answered): the rate
 *    reached, the mutations' acknowledgement time, the delivery latency from each acknowledgement, changes missed,
 *    RESYNC errors, and the server's CPU time per change (user + system, from /proc, so other processes on a busy
 *    machine do not inflate it).
 * The server is the built service (`dist/index.js`) over a copy of the default data plus `--events` copies of its
 * events (one edit per event can be in flight), editing on; the data changes through real `updateEvent` mutations
 * over HTTP. `--profile DIR` runs the server with `--cpu-prof` and leaves its profile in DIR.
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { newToken, tokenHash, writeEditors } from '../server/auth/editors-file';
import { addBenchEvents, Editor, type MadeEdit } from './live-editor';
import { clock, type SubscriberCommand, type SubscriberReply } from './live-subscribers';

interface Options {
  subscribers: number;
  broadcasts: number;
  sustained: number;
  rate: number;
  seconds: number;
  events: number;
  out: string;
  profile?: string;
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

/** Clock ticks per second of /proc's CPU times. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** CPU time (user + system) a process has used so far, in ms, from /proc. */
function cpuMs(pid: number): number {
  // The fields after the command name (which may hold spaces, hence after the last ')'): utime and stime are 12 and 13.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Starts the built server on a copy of the data with one editor; resolves with its URL once it listens. */
function startServer(dir: string, editorsFile: string, profileDir?: string): Promise<{ url: string; child: ChildProcess }> {
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const child = spawn(process.execPath, [...profile, path.join(ROOT, 'dist', 'index.js')], {
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

/** Waits until `count` subscribers have `key` (or 15 s passed); returns how many have. */
async function reached(ask: Ask, key: string, count: number): Promise<number> {
  let have = 0;
  for (let i = 0; i < 750 && have < count; i++) {
    have = ((await ask({ type: 'count', key })) as { count: number }).count;
    if (have < count) await sleep(20);
  }
  return have;
}

type Ask = (command: SubscriberCommand) => Promise<SubscriberReply>;
type Collected = Extract<SubscriberReply, { type: 'collected' }>;

/** What a phase needs: the server, the subscribers' process, the editor and the endpoints. */
interface Bench {
  server: ChildProcess;
  ask: Ask;
  editor: Editor;
  wsUrl: string;
  streamUrl: string;
  options: Options;
}

/** Phase 1: many idle WebSocket subscriptions, their memory, and single changes delivered to all of them. */
async function broadcastPhase({ server, ask, editor, wsUrl, options }: Bench): Promise<Record<string, unknown>> {
  await editor.editOrFail();
  await sleep(1000);
  const rssBefore = rssBytes(server.pid!);
  const opened = (await ask({ type: 'open', transport: 'ws', url: wsUrl, count: options.subscribers })) as Extract<SubscriberReply, { type: 'opened' }>;
  if (opened.failed) log(`  ${opened.failed} subscriptions could not open: ${opened.firstError}`);
  const warm = await editor.editOrFail();
  const subscribed = await reached(ask, warm.key, opened.open);
  await sleep(2000);
  const rssAfter = rssBytes(server.pid!);
  const perSubscription = (rssAfter - rssBefore) / subscribed;
  log(`${subscribed} WebSocket subscriptions on one server: RSS ${(rssBefore / 2 ** 20).toFixed(0)} MB -> ${(rssAfter / 2 ** 20).toFixed(0)} MB, ${(perSubscription / 1024).toFixed(1)} KB per idle subscription`);
  const fromAck: number[] = [];
  const fromSend: number[] = [];
  let missed = 0;
  for (let i = 0; i < options.broadcasts; i++) {
    await ask({ type: 'collect' });
    const change = await editor.editOrFail();
    missed += subscribed - (await reached(ask, change.key, subscribed));
    const { receipts } = (await ask({ type: 'collect' })) as Collected;
    for (const at of receipts[change.key] ?? []) {
      fromAck.push(at - change.acknowledged);
      fromSend.push(at - change.sent);
    }
    await sleep(300);
  }
  const broadcast = latency(fromAck);
  const broadcastSend = latency(fromSend);
  log(`  one change to all ${subscribed}: from the acknowledgement p50 ${broadcast.p50} ms, p99 ${broadcast.p99} ms, max ${broadcast.max} ms; from sending the mutation p99 ${broadcastSend.p99} ms (${options.broadcasts} changes, ${missed} deliveries missing)`);
  await ask({ type: 'close' });
  await sleep(2000);
  return { subscribers: subscribed, failedToOpen: opened.failed, rssBeforeMB: rssBefore / 2 ** 20, rssAfterMB: rssAfter / 2 ** 20, rssPerIdleSubscriptionKB: perSubscription / 1024, latencyFromAckMs: broadcast, latencyFromSendMs: broadcastSend, missing: missed };
}

/** Sends `count` edits, each when it is due at `rate` per second, without waiting for earlier ones (open loop). */
async function editOpenLoop(editor: Editor, rate: number, count: number): Promise<{ made: MadeEdit[]; busy: number; seconds: number; lastSent: number }> {
  const made: MadeEdit[] = [];
  const inFlight: Promise<void>[] = [];
  let busy = 0;
  const failedBefore = editor.failures.length;
  const start = clock();
  for (let n = 0; n < count; n++) {
    const due = start + (n * 1000) / rate;
    if (due > clock()) await sleep(due - clock());
    inFlight.push(editor.edit().then((change) => void (change ? made.push(change) : busy++)));
  }
  const lastSent = clock();
  await Promise.all(inFlight);
  const seconds = (clock() - start) / 1000;
  return { made, busy: busy - (editor.failures.length - failedBefore), seconds, lastSent };
}

/** Phase 2 for one transport: `--sustained` subscribers while `--rate` changes/s are asked for `--seconds`. */
async function sustainedPhase({ server, ask, editor, wsUrl, streamUrl, options }: Bench, transport: 'ws' | 'sse'): Promise<Record<string, unknown>> {
  // Edits answered TIMEOUT by a server that could not keep up may still be made once it gets to them: one edit that
  // goes through means it has, and then every revision is read again.
  await editor.editOrFail();
  await editor.load();
  const open = (await ask({ type: 'open', transport, url: transport === 'ws' ? wsUrl : streamUrl, count: options.sustained })) as Extract<SubscriberReply, { type: 'opened' }>;
  const ready = await editor.editOrFail();
  const following = await reached(ask, ready.key, open.open);
  await ask({ type: 'collect' });
  const failedBefore = editor.failures.length;
  const cpuBefore = cpuMs(server.pid!);
  const { made, busy, seconds, lastSent } = await editOpenLoop(editor, options.rate, options.rate * options.seconds);
  await sleep(2000);
  const cpuUsed = cpuMs(server.pid!) - cpuBefore;
  const { receipts, resyncs, errors } = (await ask({ type: 'collect' })) as Collected;
  // Every change committed reaches the subscribers, those of edits answered too late (TIMEOUT) included: the server's
  // CPU is shared among all of them.
  const delivered = Object.keys(receipts).length;
  const cpuPerChange = cpuUsed / Math.max(1, delivered);
  const fromAck: number[] = [];
  const fromSend: number[] = [];
  let missing = 0;
  for (const change of made) {
    const got = receipts[change.key] ?? [];
    missing += following - got.length;
    for (const at of got) {
      fromAck.push(at - change.acknowledged);
      fromSend.push(at - change.sent);
    }
  }
  const achieved = made.length / seconds;
  // A server that keeps up answers the last edit about one ack time after it was sent; one that falls behind, a
  // backlog later (the rate above counts up to the last answer, so it is a little under the rate asked either way).
  const lastAckAfterLastSendMs = Math.round(Math.max(0, ...made.map((change) => change.acknowledged)) - lastSent);
  const ack = latency(made.map((change) => change.acknowledged - change.sent));
  const l = latency(fromAck);
  const name = transport === 'ws' ? 'WebSocket subscriptions' : 'event streams';
  log(
    `${following} ${name}: ${made.length} changes at ${achieved.toFixed(1)}/s (asked ${options.rate}/s); mutation ack p50 ${ack.p50} ms, p99 ${ack.p99} ms; ` +
      `delivery from the acknowledgement p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms; from sending p99 ${latency(fromSend).p99} ms; ` +
      `${missing} deliveries missing, ${resyncs} RESYNC, ${errors} other errors; server CPU ${cpuPerChange.toFixed(2)} ms per change (${delivered} changes delivered); ` +
      `${made.length} of ${options.rate * options.seconds} asked committed, the last answered ${lastAckAfterLastSendMs} ms after the last was sent`,
  );
  const failedEdits = editor.failures.length - failedBefore;
  // Refused at once (the editing queue longer than the deadline allows) or TIMEOUT after waiting: nothing changed.
  const failedByCode: Record<string, number> = {};
  for (const failure of editor.failures.slice(failedBefore)) {
    const code = /^[A-Z_]+(?= )/.exec(failure)?.[0] ?? 'other';
    failedByCode[code] = (failedByCode[code] ?? 0) + 1;
  }
  if (failedEdits) log(`  ${failedEdits} edits failed (${Object.entries(failedByCode).map(([code, n]) => `${n} ${code}`).join(', ')}); the first: ${editor.failures[failedBefore]}`);
  await ask({ type: 'close' });
  await sleep(2000);
  return { subscribers: following, changes: made.length, changesPerSecond: achieved, askedPerSecond: options.rate, lastAckAfterLastSendMs, skippedAllBusy: busy, failedEdits, failedByCode, changesDelivered: delivered, serverCpuMsPerChange: cpuPerChange, latencyFromAckMs: l, latencyFromSendMs: latency(fromSend), missing, resyncs, errors, mutationAckMs: ack };
}

async function main(options: Options): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'dateline-bench-live-'));
  const dir = path.join(work, 'events');
  // The data files only: a running copy's revision history stays behind.
  cpSync(path.join(ROOT, 'events'), dir, { recursive: true, filter: (from) => path.basename(from) !== 'history' });
  const slugs = addBenchEvents(dir, options.events);
  const token = newToken();
  const editorsFile = path.join(work, 'editors.json');
  writeEditors(editorsFile, [{ name: 'Bench', tokenSha256: tokenHash(token), createdAt: new Date().toISOString() }]);
  const { url, child: server } = await startServer(dir, editorsFile, options.profile);
  const subscribers = startSubscribers();
  const editor = new Editor(url, token, slugs);
  const bench: Bench = { server, ask: subscribers.ask, editor, wsUrl: url.replace(/^http/, 'ws'), streamUrl: `${url}/stream`, options };
  const results: Record<string, unknown> = { date: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version }, options: { ...options, out: undefined, profile: undefined } };
  try {
    await editor.load();
    results.broadcast = await broadcastPhase(bench);
    results.sustainedWebSocket = await sustainedPhase(bench, 'ws');
    results.sustainedEventStream = await sustainedPhase(bench, 'sse');
  } finally {
    subscribers.child.kill();
    await stopServer(server);
    rmSync(work, { recursive: true, force: true });
  }
  mkdirSync(path.dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${options.out}`);
  if (options.profile) log(`server CPU profile in ${options.profile}`);
}

/** Stops the server with SIGTERM and waits for it to exit (a profile is written on the way out). */
function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.removeAllListeners('exit');
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  });
}

if (require.main === module) {
  const get = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const text = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const options: Options = {
    subscribers: get('subscribers', 10_000),
    broadcasts: get('broadcasts', 10),
    sustained: get('sustained', 1000),
    rate: get('rate', 100),
    seconds: get('seconds', 10),
    events: get('events', 1000),
    out: text('out') ?? path.join(ROOT, 'dist', 'bench-results', 'live.json'),
    profile: text('profile') && path.resolve(text('profile')!),
  };
  if (Object.values(options).some((v) => typeof v === 'number' && !(v > 0))) {
    process.stderr.write('usage: npm run bench:live -- [--subscribers N] [--broadcasts N] [--sustained N] [--rate N] [--seconds N] [--events N] [--out FILE] [--profile DIR]\n');
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
