/**
 * Replicas as real processes: `src/index.ts` started as `npm start` starts it, on a free port, with DATABASE_URL and
 * an editors file, so that tests can query, edit and subscribe through any of them, and SIGKILL one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { newToken, tokenHash, writeEditors } from '../server/auth/editors-file';
import { freePort } from './postgres';
import type { GraphQLBody } from './test-server';

/** `index.ts` from the sources (tests, under ts-node) or `index.js` from dist (the built benchmark). */
const FROM_SOURCES = path.extname(__filename) === '.ts';
const INDEX = path.resolve(__dirname, '..', FROM_SOURCES ? 'index.ts' : 'index.js');

/** Editors for a group of replicas: one editor, "Night desk", and its token. */
export interface Editors {
  file: string;
  token: string;
  /** Removes the folder of the file. */
  remove(): void;
}

/** Writes an editors file in a temporary folder. */
export function makeEditors(): Editors {
  const dir = mkdtempSync(path.join(tmpdir(), 'dateline-replica-editors-'));
  const token = newToken();
  const file = path.join(dir, 'editors.json');
  writeEditors(file, [{ name: 'Night desk', tokenSha256: tokenHash(token), createdAt: '2026-12-02T00:00:00.000Z' }]);
  return { file, token, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One running replica process. */
export interface ReplicaProcess {
  /** http://127.0.0.1:port/graphql */
  url: string;
  child: ChildProcess;
  /** POSTs GraphQL; `edit` adds the editor's token. */
  graphql(query: string, variables?: Record<string, unknown>): Promise<GraphQLBody>;
  edit(query: string, variables?: Record<string, unknown>): Promise<GraphQLBody>;
  /** GET /readyz: its status and body. */
  readyz(): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Subscribes to `eventChanged` over WebSocket or SSE; calls `onChange` with each `Change`. Resolves to unsubscribe. */
  subscribe(transport: 'ws' | 'sse', fields: string, onChange: (change: Record<string, unknown>) => void): () => void;
  /** SIGTERM (clean stop) or SIGKILL; resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The longest a query or mutation to a replica may take. */
const ANSWER_TIMEOUT_MS = 30_000;
/** Attempts at a start whose port was taken meanwhile by someone else. */
const PORT_ATTEMPTS = 3;

/**
 * Starts `src/index.ts` on a free port against `databaseUrl`; resolves once its `/readyz` answers 200. Readiness is
 * asked over HTTP rather than read from the log, so that any `LOG_LEVEL` in `env` works (the line naming the URL is
 * an info line: with `LOG_LEVEL=warn` there is none, and waiting for it hung the benchmark). Its log (stdout) goes
 * to `onLog` as it comes when one is given, else nowhere.
 */
export async function startReplica(databaseUrl: string, editors: Editors, env: NodeJS.ProcessEnv = {}, onLog?: (text: string) => void): Promise<ReplicaProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(await freePort(), databaseUrl, editors, env, onLog);
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt >= PORT_ATTEMPTS) throw err;
    }
  }
}

/** The replica could not listen: its port was taken between freePort() and its start. */
class PortTaken extends Error {}

async function startOnce(port: number, databaseUrl: string, editors: Editors, env: NodeJS.ProcessEnv, onLog: ((text: string) => void) | undefined): Promise<ReplicaProcess> {
  const child = spawn(process.execPath, [...(FROM_SOURCES ? ['-r', 'ts-node/register/transpile-only'] : []), INDEX], {
    cwd: path.resolve(__dirname, '..', '..'),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl, EDITORS_FILE: editors.file, CHANGE_POLL_MS: '200', LOG_LEVEL: 'info', ...env },
    // stdout is a pipe only when drained: one nobody reads would fill, and a process writing its log to it would block.
    stdio: ['ignore', onLog ? 'pipe' : 'ignore', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => onLog!(d.toString()));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}/graphql`;
  const readyz = url.replace(/\/graphql$/, '/readyz');
  while (child.exitCode === null && child.signalCode === null) {
    const status = await fetch(readyz, { signal: AbortSignal.timeout(5000) }).then((res) => res.status, () => 0);
    if (status === 200) return replicaAt(url, child, exited, editors.token);
    await Promise.race([exited, new Promise((wait) => setTimeout(wait, 100))]);
  }
  if (/already in use/.test(stderr)) throw new PortTaken(stderr);
  throw new Error(`replica exited with ${child.exitCode ?? child.signalCode}: ${stderr}`);
}

function replicaAt(url: string, child: ChildProcess, exited: Promise<void>, token: string): ReplicaProcess {
  const origin = url.replace(/\/graphql$/, '');
  const post = async (query: string, variables: Record<string, unknown> | undefined, headers: Record<string, string>) => {
    // Bounded, so that a replica that stops answering fails the caller instead of hanging it.
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
    return (await res.json()) as GraphQLBody;
  };
  return {
    url,
    child,
    graphql: (query, variables) => post(query, variables, {}),
    edit: (query, variables) => post(query, variables, { authorization: `Bearer ${token}` }),
    async readyz() {
      const res = await fetch(`${origin}/readyz`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    subscribe(transport, fields, onChange) {
      const query = `subscription { eventChanged { ${fields} } }`;
      const sink = {
        next: (result: { data?: Record<string, unknown> | null }) => {
          if (result.data?.eventChanged) onChange(result.data.eventChanged as Record<string, unknown>);
        },
        error: () => undefined,
        complete: () => undefined,
      };
      if (transport === 'ws') {
        const client = createWsClient({ url: `${origin.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
        const stop = client.subscribe({ query }, sink);
        return () => {
          stop();
          void client.dispose();
        };
      }
      const client = createSseClient({ url: `${origin}/graphql/stream`, retryAttempts: 0 });
      const stop = client.subscribe({ query }, sink);
      return () => {
        stop();
        client.dispose();
      };
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
