/**
 * Soak: starts the built server as a child process on 127.0.0.1, holds a fixed request rate for a
 * bounded time, then prints requests, non-2xx, p99 latency and the server's RSS slope after warm-up.
 * Usage: npm run soak -- [--rate 500] [--duration 120] [--warmup 40]
 * The default warm-up is 40 s because at 500 req/s V8 grows the heap to its working size in about that time.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** Least-squares slope of y over x. */
export function slope(points: [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function flag(name: string, fallback: number, max: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0 || value > max) throw new Error(`--${name} must be a number from 1 to ${max}`);
  return value;
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

const QUERIES = [
  '{ events(first: 20) { totalCount edges { cursor node { slug title date place { name } } } pageInfo { hasNextPage endCursor } } }',
  '{ timeline { date eventCount events { slug title } } }',
  'query Q($s: String) { events(filter: { search: $s }) { nodes { slug casualties { count qualifier reportedBy { name } } } } }',
  '{ places(first: 100) { nodes { slug name ancestors { slug } } } }',
].map((query, i) => JSON.stringify({ query, variables: i === 2 ? { s: 'damascus' } : undefined }));

async function main(): Promise<void> {
  const rate = flag('rate', 500, 5000);
  const duration = flag('duration', 120, 600);
  const warmup = Math.min(flag('warmup', 40, 600), duration / 2);
  const child = spawn(process.execPath, [path.join(__dirname, '../index.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<URL>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += String(chunk);
      const match = /"url":"([^"]+)"/.exec(out);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(new URL(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', () => reject(new Error('server exited before listening')));
  });

  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  const latencies: number[] = [];
  let sent = 0;
  let non2xx = 0;
  let failed = 0;
  const rss: [number, number][] = [];
  const started = performance.now();
  let stopped = false;

  const one = (k: number) => {
    const body = QUERIES[k % QUERIES.length];
    const t0 = performance.now();
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
      res.resume();
      res.on('end', () => latencies.push(performance.now() - t0));
    });
    req.on('error', () => failed++);
    req.end(body);
  };

  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= duration) {
        clearInterval(tick);
        stopped = true;
        resolve();
        return;
      }
      const due = Math.floor(elapsed * rate);
      while (sent < due) one(sent++);
    }, 5);
    const sampler = setInterval(() => {
      const elapsed = (performance.now() - started) / 1000;
      if (stopped) return clearInterval(sampler);
      if (elapsed >= warmup) rss.push([elapsed / 60, rssMb(child.pid!)]);
    }, 1000);
  });
  await new Promise((r) => setTimeout(r, 2000));
  child.kill('SIGTERM');
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const report = {
    rate,
    durationS: duration,
    warmupS: warmup,
    requests: sent,
    answered: latencies.length,
    non2xx,
    connectionErrors: failed,
    p50Ms: Number(p(0.5).toFixed(2)),
    p99Ms: Number(p(0.99).toFixed(2)),
    rssStartMb: Number((rss[0]?.[1] ?? NaN).toFixed(1)),
    rssEndMb: Number((rss[rss.length - 1]?.[1] ?? NaN).toFixed(1)),
    rssSlopeMbPerMin: Number(slope(rss).toFixed(3)),
    // A step (the heap growing once) and a steady climb (a leak) can give the same slope; the series tells them apart.
    rssEvery10sMb: rss.filter((_, i) => i % 10 === 0).map(([, mb]) => Math.round(mb)),
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
