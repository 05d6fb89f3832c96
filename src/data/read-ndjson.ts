/** Reads the lines of an NDJSON file of events as its chunks come: hashes them, checks each and resolves it. */
import type { createHash } from 'node:crypto';
import type { EventResolver } from './event-resolver';
import type { DataProblem } from './problems';
import { unknownReferences } from './references';
import { EventRecord } from './schema';
import { validateAgainst } from './validate-record';

/** Checks and resolves each line of an NDJSON file as its chunks come, hashing them. */
export async function readNdjson(
  chunks: AsyncIterable<string>,
  file: string,
  name: string,
  hash: ReturnType<typeof createHash>,
  problems: DataProblem[],
  resolver: EventResolver,
  catalogues: Parameters<typeof unknownReferences>[2],
): Promise<void> {
  hash.update(`${name}\0`);
  let n = 0;
  const onLine = (line: string) => {
    n++;
    if (!line.trim()) return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (err) {
      problems.push({ file: `${file}:${n}`, path: '', message: `is not valid JSON: ${(err as Error).message}` });
      return;
    }
    // Nearly every line is valid: its file:line name is only built when a problem needs it.
    const found = validateAgainst(EventRecord, data, '');
    if (!found.length) resolver.add(data as EventRecord, file, n);
    else {
      for (const p of found) problems.push({ ...p, file: `${file}:${n}` });
      problems.push(...unknownReferences(data, `${file}:${n}`, catalogues).filter((p) => !found.some((f) => f.path === p.path)));
    }
  };
  for await (const _ of linesOfChunks(chunks, hash, onLine));
}

/**
 * Calls `onLine` with each line of `chunks` as they come (see {@link splitLines}; the last line may lack its `\n`),
 * and yields after each chunk's whole lines are done, so that a caller may pass on what they made before reading on.
 */
export async function* linesOfChunks(chunks: AsyncIterable<string>, hash: { update(data: string): unknown }, onLine: (line: string) => void): AsyncGenerator<void> {
  let rest = '';
  for await (const chunk of chunks) {
    const text = rest + chunk;
    const end = text.lastIndexOf('\n') + 1;
    rest = text.slice(end);
    if (end) splitLines(text, end, hash, onLine);
    yield;
  }
  if (rest) splitLines(`${rest}\n`, rest.length + 1, hash, onLine);
  yield;
}

/**
 * Calls `onLine` with each line of `text` up to `end` (just after a `\n`) and hashes each line followed by `\n`.
 * Lines end as readline ends them: at `\n`, `\r\n` or a lone `\r`.
 */
export function splitLines(text: string, end: number, hash: { update(data: string): unknown }, onLine: (line: string) => void): void {
  const cr = text.indexOf('\r');
  if (cr < 0 || cr >= end) {
    hash.update(end === text.length ? text : text.slice(0, end));
    for (let start = 0; start < end; ) {
      const nl = text.indexOf('\n', start);
      onLine(text.slice(start, nl));
      start = nl + 1;
    }
    return;
  }
  for (let start = 0; start < end; ) {
    const nl = text.indexOf('\n', start);
    const segment = text.slice(start, nl);
    start = nl + 1;
    // A segment ending in \r ended in \r\n; any other \r inside it ends a line of its own.
    const lines = segment.split('\r');
    if (segment.endsWith('\r')) lines.pop();
    for (const line of lines) {
      hash.update(`${line}\n`);
      onLine(line);
    }
  }
}
