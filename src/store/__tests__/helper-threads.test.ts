/**
 * The process's helper threads run below its main thread (HELPER_THREADS_NICE): checked in processes of their own,
 * so that this jest worker's threads keep their priority.
 */
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The nice value of each thread of process `pid`, keyed by thread id. */
function nices(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      // Field 19 of stat is the nice value; fields are counted after the command's closing parenthesis (field 3 first).
      out.set(Number(tid), Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

/** Runs `code` in a fresh node process (sources through ts-node) and parses the JSON it prints. */
function runNode(code: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', code], { cwd: ROOT, timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}

/** In a child: lowers its helper threads by `by`, makes libuv's pool afterwards, and reports every thread's nice value. */
const CHILD = (by: number) => `
  const { lowerHelperThreads } = require('./src/store/helper-threads');
  const { readdirSync, readFileSync, promises } = require('node:fs');
  const { getPriority } = require('node:os');
  const base = getPriority();
  const stop = lowerHelperThreads(${by}, 20);
  const before = readdirSync('/proc/self/task').length;
  // libuv makes its thread pool at the first use: these threads come after the first pass.
  Promise.all([1, 2, 3, 4].map(() => promises.readFile('package.json'))).then(() => setTimeout(() => {
    stop();
    const nice = {};
    for (const tid of readdirSync('/proc/self/task')) nice[tid] = Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
    process.stdout.write(JSON.stringify({ pid: process.pid, base, before, nice }));
  }, 200));
`;

interface ChildReport {
  pid: number;
  base: number;
  before: number;
  nice: Record<string, number>;
}

// Thread priorities are set through Linux's /proc (elsewhere `lowerHelperThreads` does nothing): these tests need it.
const describeOnLinux = process.platform === 'linux' ? describe : describe.skip;

describeOnLinux('helper threads below the main thread', () => {
  it('sets every thread but the main one to the main thread\'s nice value plus N, threads made later too', async () => {
    const { pid, base, before, nice } = (await runNode(CHILD(5))) as ChildReport;
    const others = Object.entries(nice).filter(([tid]) => Number(tid) !== pid);
    expect(nice[pid]).toBe(base);
    // V8's helpers at start, and libuv's pool, made after the first pass.
    expect(Object.keys(nice).length).toBeGreaterThan(before);
    for (const [, value] of others) expect(value).toBe(Math.min(19, base + 5));
  });

  it('with 0 changes no thread', async () => {
    const { base, nice } = (await runNode(CHILD(0))) as ChildReport;
    expect(new Set(Object.values(nice))).toEqual(new Set([base]));
  });

  it('a started server lowers its helper threads by HELPER_THREADS_NICE, and not by default (0)', async () => {
    for (const [setting, by] of [['10', 10], [undefined, 0]] as const) {
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', HELPER_THREADS_NICE: setting };
      if (setting === undefined) delete env.HELPER_THREADS_NICE;
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/index.ts'], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        await new Promise<void>((resolve, reject) => {
          let out = '';
          child.stdout!.on('data', (chunk) => {
            out += String(chunk);
            if (out.includes('"url"')) resolve();
          });
          child.once('exit', () => reject(new Error(`the server exited before listening: ${out}`)));
        });
        const threads = nices(child.pid!);
        const main = threads.get(child.pid!)!;
        const others = [...threads].filter(([tid]) => tid !== child.pid).map(([, value]) => value);
        expect(others.length).toBeGreaterThan(0);
        expect(new Set(others)).toEqual(new Set([Math.min(19, main + by)]));
      } finally {
        child.kill('SIGTERM');
        await new Promise((done) => child.once('exit', done));
      }
    }
  });
});
