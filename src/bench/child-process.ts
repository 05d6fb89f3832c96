/** Starts benchmark servers as child processes, so that load and server never share a process. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';

/** A server running in a child process. */
export interface ChildServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Node arguments that run a sibling script of this one, compiled (.js) or from source (.ts). */
export function scriptArgs(name: string): string[] {
  const ext = path.extname(__filename);
  const file = path.join(__dirname, `${name}${ext}`);
  return ext === '.ts' ? ['-r', 'ts-node/register/transpile-only', file] : [file];
}

/** Runs `node <args>` and waits for the JSON line `{"url": ...}` it prints once it listens. */
export function startChildServer(args: string[], nodeOptions: string[] = []): Promise<ChildServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeOptions, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => reject(new Error(`benchmark server ${args.join(' ')} exited with ${code}: ${stderr}`)));
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const { url } = JSON.parse(line) as { url: string };
      resolve({
        url,
        process: child,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
