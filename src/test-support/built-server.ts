/**
 * The built server (`dist/index.js`) as `npm start` runs it, in a child process: for tests of what only a real
 * process shows (signals, exit codes).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Compiles the sources into dist/ as `npm start` would (a test's `beforeAll`; takes tens of seconds). */
export function buildServer(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
}

/** A started server process. */
export interface BuiltServer {
  /** The GraphQL endpoint it logged when it started listening. */
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Starts `dist/index.js` on a free port of 127.0.0.1 with `env` added; resolves once it logs that it listens. */
export function startBuiltServer(env: NodeJS.ProcessEnv): Promise<BuiltServer> {
  const child = spawn(process.execPath, ['dist/index.js'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise<BuiltServer>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const match = /"url":"([^"]+)"/.exec(out);
      if (match) resolve({ url: match[1], child, exited });
    });
    child.once('exit', () => reject(new Error(`server exited before listening: ${out}`)));
  });
}
