/**
 * `npm run bench:attacks -- --dir DIR [--seconds 10]`: reruns issue 11's attacks against the real server over a
 * generated data set (`npm run generate -- --events 200000 --out DIR`) in a child process, and prints per attack
 * what it got (status, bytes, time) and the latency of a `{__typename}` probe sent every 20 ms meanwhile
 * (p50/p99/max), the server's CPU time per attack request (user + system, probes' share included), and its RSS
 * before and after. The mixed load (200 connections of ordinary requests) is sent by `mixed-load.ts` from a process of
 * its own. `--only TEXT` runs the attacks whose name contains TEXT (e.g. `--only "item 3"`). Traffic goes
 * to 127.0.0.1 only and stops by itself.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { scriptArgs, startChildServer, type ChildServer } from './child-process';

interface Attack {
  name: string;
  /** Concurrent senders, each sending again as soon as it is answered, for the whole window. */
  connections: number;
  send?(url: string): Promise<{ status: number; bytes: number }>;
  /** Instead of `send` from this process: a script run with (url, seconds, connections) that prints a JSON summary. */
  external?: string;
}

/** Runs `attack.external` as a child process and returns the JSON line it prints. */
function runExternal(attack: Attack, url: string, seconds: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...scriptArgs(attack.external!), url, String(seconds), String(attack.connections)], (err, stdout) =>
      err ? reject(err) : resolve(stdout.trim()),
    );
  });
}

const post = async (url: string, body: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
};

const fanOut = `{ place(slug: "country-0") { ${'children { parent { '.repeat(5)}name${' } }'.repeat(5)} } }`;
const aliases = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

const ATTACKS: Attack[] = [
  { name: 'item 1: children/parent fan-out, 30 aliases', connections: 1, send: (url) => post(url, JSON.stringify({ query: aliases(30, fanOut.slice(2, -2)) })) },
  { name: 'item 1: children/parent fan-out, 1 alias, 4 connections', connections: 4, send: (url) => post(url, JSON.stringify({ query: fanOut })) },
  { name: 'item 2: GET /exports/events.ics (default page)', connections: 1, send: async (url) => {
      const res = await fetch(url.replace(/\/graphql$/, '/exports/events.ics'));
      return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
    } },
  { name: 'item 2: GET /exports/events.ics?limit=5000 (most)', connections: 1, send: async (url) => {
      const res = await fetch(url.replace(/\/graphql$/, '/exports/events.ics?limit=5000&search=shelling'));
      return { status: res.status, bytes: (await res.arrayBuffer()).byteLength };
    } },
  { name: 'item 3: 400 copies of events { nodes { title } }, 20 connections', connections: 20, send: (url) => post(url, JSON.stringify({ query: `{ ${'events { nodes { title } } '.repeat(400)}}` })) },
  { name: 'item 4: 30 aliases of eventCounts(MONTH, search "a"), 4 connections', connections: 4, send: (url) => post(url, JSON.stringify({ query: aliases(30, 'eventCounts(bucket: MONTH, filter: { search: "a" }) { count }') })) },
  { name: 'item 4: 1 eventCounts(MONTH, search "a"), 4 connections', connections: 4, send: (url) => post(url, JSON.stringify({ query: '{ eventCounts(bucket: MONTH, filter: { search: "a" }) { count } }' })) },
  { name: 'mixed load: pages, date windows, searches, places, histograms and exports (autocannon in its own process), 200 connections', connections: 200, external: 'mixed-load' },
];

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1]) return process.argv[i + 1];
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function rssMb(server: ChildServer): Promise<number> {
  const status = await readFile(`/proc/${server.process.pid}/status`, 'utf8').catch(() => '');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** The server process's CPU time so far (user + system), in ms; from /proc, so it counts only the server, not this load. */
async function cpuMs(server: ChildServer): Promise<number> {
  const stat = await readFile(`/proc/${server.process.pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 1/100 s (USER_HZ)
}

async function run(): Promise<void> {
  const dir = arg('dir');
  const seconds = Math.min(60, Number(arg('seconds', '10')));
  const server = await startChildServer([...scriptArgs('bench-server'), 'server', dir, '1000']);
  try {
    const probeBody = JSON.stringify({ query: '{ __typename }' });
    const only = arg('only', '');
    for (const attack of ATTACKS.filter((a) => a.name.includes(only))) {
      const rssBefore = await rssMb(server);
      const cpuBefore = await cpuMs(server);
      const until = performance.now() + seconds * 1000;
      const results: { status: number; bytes: number; ms: number }[] = [];
      let summary = '';
      const senders = attack.external ? [runExternal(attack, server.url, seconds).then((line) => void (summary = line))] : Array.from({ length: attack.connections }, async () => {
        while (performance.now() < until) {
          const at = performance.now();
          const r = await attack.send!(server.url).catch(() => ({ status: 0, bytes: 0 }));
          results.push({ ...r, ms: performance.now() - at });
        }
      });
      const probes: number[] = [];
      const prober = (async () => {
        while (performance.now() < until) {
          const at = performance.now();
          await post(server.url, probeBody).catch(() => undefined);
          probes.push(performance.now() - at);
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await Promise.all([...senders, prober]);
      const rssAfter = await rssMb(server);
      const external = summary ? (JSON.parse(summary) as { requests: number }) : undefined;
      const answered = external?.requests ?? results.length;
      const cpuPerRequest = answered ? ((await cpuMs(server)) - cpuBefore) / answered : NaN;
      probes.sort((a, b) => a - b);
      const times = results.map((r) => r.ms).sort((a, b) => a - b);
      const statuses = [...new Set(results.map((r) => r.status))].join('/');
      const failed = results.filter((r) => r.status === 0 || r.status >= 500).length;
      const answers = external
        ? `  load: ${summary}, server CPU ${cpuPerRequest.toFixed(2)} ms per request\n`
        : `  answers: ${results.length}, status ${statuses}, bytes ${results[0]?.bytes ?? 0}, time p50 ${percentile(times, 50).toFixed(1)} ms max ${times[times.length - 1]?.toFixed(1)} ms, server CPU ${cpuPerRequest.toFixed(2)} ms per request, ${failed} failed (5xx or no answer)\n`;
      process.stdout.write(
        `${attack.name}\n${answers}` +
          `  {__typename} probes: ${probes.length}, p50 ${percentile(probes, 50).toFixed(1)} ms, p99 ${percentile(probes, 99).toFixed(1)} ms, max ${probes[probes.length - 1]?.toFixed(1)} ms; RSS ${rssBefore} -> ${rssAfter} MB\n`,
      );
    }
  } finally {
    await server.stop();
  }
}

run().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
