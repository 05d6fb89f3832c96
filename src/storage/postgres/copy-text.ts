/**
 * The rows of `COPY (SELECT <one text column> ...) TO STDOUT`, as text a line per row: one stream from the database,
 * so that it produces rows while the caller parses them (no round trip per batch, no row objects), with COPY's text
 * escapes undone.
 */
import { StringDecoder } from 'node:string_decoder';
import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/**
 * What COPY's text format writes after a backslash, and what it stands for. A JSON text holds a raw newline or
 * carriage return only as whitespace between tokens (PostgreSQL's json type refuses one inside a string), so they
 * become spaces: the same JSON, and the row stays on one line.
 */
const UNESCAPED: Record<string, string> = { '\\': '\\', n: ' ', r: ' ', t: '\t', b: '\b', f: '\f', v: '\v' };

/**
 * Streams the one-column `select` through COPY on `client` (inside its transaction): chunks of whole characters,
 * each row ending in `\n`; a line may span chunks. The stream's errors (a lost connection) are thrown to the reader.
 */
export async function* copyLines(client: PoolClient, select: string): AsyncGenerator<string> {
  const stream = client.query(copyTo(`COPY (${select}) TO STDOUT`));
  const decoder = new StringDecoder('utf8');
  let cut = '';
  for await (const data of stream) {
    const [text, rest] = unescapeCopyText(cut + decoder.write(data as Buffer));
    cut = rest;
    if (text) yield text;
  }
  const [text] = unescapeCopyText(cut + decoder.end());
  if (text) yield text;
}

/**
 * Undoes COPY's text escapes in `text`; a backslash at the very end begins an escape cut by the chunk's end, and is
 * handed back to go before the next chunk.
 */
export function unescapeCopyText(text: string): [text: string, cut: string] {
  if (!text.includes('\\')) return [text, ''];
  // A run of backslashes at the end starts outside any escape: an odd one leaves the last backslash unpaired.
  let run = 0;
  while (run < text.length && text.charCodeAt(text.length - 1 - run) === 0x5c) run++;
  const cut = run % 2 ? '\\' : '';
  const whole = cut ? text.slice(0, -1) : text;
  return [whole.replace(/\\([\s\S])/g, (_, c: string) => UNESCAPED[c] ?? c), cut];
}
