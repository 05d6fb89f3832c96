import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { startTestPostgres, type TestPostgres } from '../../../test-support/postgres';
import { createActor, importedDatabase } from '../../../test-support/postgres-fixtures';
import { changesAfter } from '../change-log';
import { createPool } from '../pool';
import { PostgresStorage } from '../postgres-storage';

let pg: TestPostgres;

beforeAll(async () => {
  pg = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await pg?.close();
});

const FOLLOWER = path.resolve(__dirname, '..', '..', '..', 'test-support', 'postgres-follower.ts');

/** A follower process and every seq it reported: those it opened with, then those it applied. */
function follower(url: string) {
  const child: ChildProcess = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', FOLLOWER], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const seen = { opened: null as number[] | null, applied: [] as number[] };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as { opened?: number[]; seq?: number };
    if (message.opened) seen.opened = message.opened;
    else seen.applied.push(message.seq!);
  });
  const exited = new Promise((done) => child.once('exit', done));
  return { child, seen, exited };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(25);
  }
}

test('a replica killed with SIGKILL mid-stream and started again catches up from the log: nothing missed, nothing twice', async () => {
  const url = await importedDatabase(pg);
  const writer = new PostgresStorage({ url });
  await writer.open();
  let n = 0;
  let writing = true;
  const writes = (async () => {
    while (writing) {
      await writer.commit(createActor(`desk-${n++}`));
      await sleep(10);
    }
  })();
  try {
    const first = follower(url);
    await until(() => first.seen.applied.length >= 10, 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Math.max(...first.seen.applied);
    await sleep(300);

    const second = follower(url);
    await until(() => second.seen.opened !== null, 60_000);
    await sleep(500);
    writing = false;
    await writes;
    const pool = createPool(url);
    const log = (await changesAfter(pool, 0, 100_000)).map((c) => c.seq);
    await pool.end();
    await until(() => [...second.seen.opened!, ...second.seen.applied].length >= log.length, 10_000);
    // Writes went on while it was dead and while it started: it has them all, each once, in order.
    expect(log.length).toBeGreaterThan(killedAt);
    expect([...second.seen.opened!, ...second.seen.applied]).toEqual(log);
    expect(second.seen.applied.length).toBeGreaterThan(0);
    second.child.kill('SIGTERM');
    await second.exited;
  } finally {
    writing = false;
    await writes;
    await writer.close();
  }
}, 120_000);
