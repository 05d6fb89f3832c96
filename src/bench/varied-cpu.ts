/**
 * The CPU a benchmark server spends per answer: a view beside requests per second, which move with the neighbours'
 * load. It moves less with a few neighbours, but still does on a crowded machine (cache and core sharing), so
 * compare figures taken back to back; the varied benchmark prints it and `varied-profile.ts` compares builds by it.
 */
import { readFileSync } from 'node:fs';
import type { ChildServer } from './child-process';
import { load, type BodyCycle } from './http-load';

/** CPU seconds (user + system) a process has used so far, read from /proc; undefined where there is no /proc. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** Loads `server` as `load` does and also returns the server's CPU microseconds per answer (null without /proc). */
export async function loadWithCpu(server: ChildServer, bodies: string[] | BodyCycle, seconds: number, connections: number, sampleMs?: number) {
  const pid = server.process.pid!;
  const before = processCpuSeconds(pid);
  const result = await load(server.url, bodies, seconds, connections, sampleMs);
  const after = processCpuSeconds(pid);
  const cpuMicrosPerRequest = before === undefined || after === undefined || result.requests.total === 0 ? null : ((after - before) * 1e6) / result.requests.total;
  return { result, cpuMicrosPerRequest };
}
