/**
 * The read half of `bench:replicas`: queries per second, and the server's CPU time per query, on a replica against a
 * server over the same folder with the same settings (the read path must not touch the database).
 */
import { readFileSync } from 'node:fs';
import type { ReplicaProcess } from '../test-support/postgres-replicas';
import { load } from './http-load';

/** Seconds of each round of the read load. */
const READ_SECONDS = 3;
/** Rounds on each server, interleaved, the order turned each round (the first after a pause often runs slower). */
const ROUNDS = 5;
/** Seconds of unmeasured load on each server first: a server's first thousands of queries run slower (compiling). */
const WARM_UP_SECONDS = 3;

/**
 * The read load: a page of events in a different week each (2,000 weeks from 2010 on, more than the response cache's
 * 1,000 entries, so most requests are answered from the store, not the cache).
 */
const READ_BODIES = Array.from({ length: 2000 }, (_, i) => {
  const day = (n: number) => new Date(Date.UTC(2010, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
  const query = 'query($from: Date, $to: Date) { events(first: 20, filter: { from: $from, to: $to }) { totalCount nodes { slug title place { name } } } }';
  return JSON.stringify({ query, variables: { from: day((i * 7) % 5400), to: day(((i * 7) % 5400) + 6) } });
});

/** One server's side of a read comparison. */
export interface ReadFigures {
  /** Queries answered per second, the median of the rounds. */
  rps: number;
  /** The server's CPU time (user + system) per query in microseconds, the median of the rounds: less moved by others' load. */
  cpuUsPerQuery: number;
  /** Each round's figures, in order, to show how far they spread. */
  rounds?: { rps: number; cpuUsPerQuery: number }[];
}

/** A replica against the folder server, 10 connections each; `ratio` is replica / folder queries per second. */
export interface ReadComparison {
  replica: ReadFigures;
  folder: ReadFigures;
  ratio: number;
}

/**
 * {@link ROUNDS} interleaved rounds of the read load on `replica` and on `folder`, after {@link WARM_UP_SECONDS} of it
 * on each unmeasured.
 */
export async function compareReads(replica: ReplicaProcess, folder: ReplicaProcess): Promise<ReadComparison> {
  for (const server of [replica, folder]) await load(server.url, READ_BODIES, WARM_UP_SECONDS, 10);
  const sides = [
    { server: replica, rounds: [] as ReadFigures[] },
    { server: folder, rounds: [] as ReadFigures[] },
  ];
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 ? [...sides].reverse() : sides) side.rounds.push(await readRound(side.server));
  }
  const [r, f] = sides.map(({ rounds }) => ({ rps: median(rounds.map((x) => x.rps)), cpuUsPerQuery: median(rounds.map((x) => x.cpuUsPerQuery)), rounds }));
  return { replica: r, folder: f, ratio: Math.round((r.rps / f.rps) * 100) / 100 };
}

async function readRound(server: ReplicaProcess): Promise<ReadFigures> {
  const cpuBefore = cpuMsOf(server.child.pid);
  const result = await load(server.url, READ_BODIES, READ_SECONDS, 10);
  const cpuMs = cpuMsOf(server.child.pid) - cpuBefore;
  return { rps: Math.round(result.requests.total / READ_SECONDS), cpuUsPerQuery: Math.round((cpuMs * 1000) / result.requests.total) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** A process's CPU time so far (user + system) in milliseconds, from /proc (Linux; NaN elsewhere). */
export function cpuMsOf(pid: number | undefined): number {
  try {
    // Fields 14 and 15 of /proc/PID/stat, counted after the command's closing parenthesis, in ticks of 10 ms.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}
