/**
 * `node dist/bench/varied-profile.js`: the varied-variables load of `npm run bench` on one side at a time, reporting
 * the server process's CPU time per request rather than requests per second only. On a shared machine wall-clock
 * throughput moves with the neighbours' load; the CPU a server spends on each request moves less, so this is
 * what to compare A/B (two builds back to back) and Dateline against Mercurius-jit while others work. Each
 * operation gets fresh servers. With `--cpu-prof DIR` each Dateline and peer server writes a V8 CPU profile of
 * the measured load alone (not its start-up or warm-up) to DIR (see `varied-profile-hook.ts`).
 *
 *   node dist/bench/varied-profile.js [--targets dateline,peer,dateline-ceiling,peer-ceiling] [--only timeline,search]
 *     [--events 20000] [--requests 5000] [--duration 5] [--warmup 2] [--connections 10] [--cpu-prof DIR]
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDataset } from '../data/load-dataset';
import { scriptArgs, startChildServer, type ChildServer } from './child-process';
import { generateDataset } from './generate-dataset';
import { BodyCycle } from './http-load';
import { option } from './throughput';
import { loadWithCpu } from './varied-cpu';
import { collectAnswers, warmUp, type VariedTarget } from './varied-throughput';
import { variedOperations } from './varied-requests';

/** Stops the profile of `child` and waits until it is written. */
async function profileWritten(child: ChildProcess, dir: string): Promise<void> {
  const file = path.join(dir, `${child.pid}-1.cpuprofile`);
  child.kill('SIGUSR2');
  while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 50));
}

async function main(args: string[]): Promise<void> {
  const targets = option(args, 'targets', 'dateline,peer').split(',') as VariedTarget[];
  const only = option(args, 'only', '');
  const [events, requests, duration, warmup, connections] = ['events', 'requests', 'duration', 'warmup', 'connections'].map((n, i) =>
    Number(option(args, n, String([20_000, 5000, 5, 2, 10][i]))),
  );
  const profileDir = option(args, 'cpu-prof', '');
  // The servers profiled load a hook that profiles the measured load alone, on SIGUSR2 (`varied-profile-hook.ts`).
  if (profileDir) {
    mkdirSync(profileDir, { recursive: true });
    process.env.DATELINE_PROFILE_DIR = path.resolve(profileDir);
  }
  const nodeOptions = profileDir ? ['-r', path.join(__dirname, `varied-profile-hook${path.extname(__filename)}`)] : [];
  const work = mkdtempSync(path.join(os.tmpdir(), 'dateline-varied-profile-'));
  const servers: ChildServer[] = [];
  const start = async (nodeArgs: string[], ...args: string[]) => {
    const server = await startChildServer([...scriptArgs('bench-server'), ...args], nodeArgs);
    servers.push(server);
    return server;
  };
  try {
    const dataDir = path.join(work, 'data');
    await generateDataset(dataDir, events);
    const ops = variedOperations(await loadDataset(dataDir), requests).filter((op) => !only || only.split(',').includes(op.name));
    const reference = await start([], 'server', dataDir, '0'); // the fast path gives Apollo's bytes (see varied-throughput.ts)
    const checker = await start([], 'mercurius', dataDir);
    const { answers } = await collectAnswers(ops, reference, checker);
    await Promise.all([reference.stop(), checker.stop()]);
    const files = { dateline: path.join(work, 'dateline.json'), peer: path.join(work, 'peer.json') };
    for (const side of ['dateline', 'peer'] as const) writeFileSync(files[side], JSON.stringify(answers[side]));
    // A fresh server for each operation, so that a profile holds one operation's load and nothing else.
    const serverArgs: Record<VariedTarget, string[]> = {
      dateline: ['server', dataDir, '1000'],
      peer: ['mercurius', dataDir],
      'dateline-ceiling': ['ceiling', files.dateline],
      'peer-ceiling': ['ceiling', files.peer],
    };
    process.stdout.write(`${'operation'.padEnd(14)} ${'target'.padEnd(17)} ${'req/s'.padStart(8)} ${'CPU us/req'.padStart(10)}\n`);
    for (const op of ops) {
      for (const target of targets) {
        const server = await start(target.endsWith('ceiling') ? [] : nodeOptions, ...serverArgs[target]);
        // As in `npm run bench`: bodies sent again with other bytes, so the response cache never hits.
        const cycle = new BodyCycle(op.bodies, true);
        await warmUp(server, cycle, warmup, connections);
        const profiled = profileDir !== '' && !target.endsWith('ceiling');
        if (profiled) server.process.kill('SIGUSR2');
        const { result: r, cpuMicrosPerRequest: cpu } = await loadWithCpu(server, cycle, duration, connections);
        if (profiled) await profileWritten(server.process, profileDir);
        await server.stop();
        process.stdout.write(`${op.name.padEnd(14)} ${target.padEnd(17)} ${r.requests.average.toFixed(0).padStart(8)} ${(cpu ?? NaN).toFixed(1).padStart(10)}\n`);
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`varied profile failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
