import { Readable } from 'node:stream';
import type { PoolClient } from 'pg';
import { copyLines, unescapeCopyText } from '../copy-text';

/** A client whose COPY answers `bytes`, cut into chunks at `cuts` (byte offsets). */
function copying(bytes: Buffer, cuts: number[]): PoolClient {
  const chunks = [0, ...cuts].map((start, i) => bytes.subarray(start, [...cuts, bytes.length][i]));
  return { query: () => Readable.from(chunks) } as unknown as PoolClient;
}

async function textOf(lines: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of lines) text += chunk;
  return text;
}

test('COPY text escapes are undone: a backslash, a tab; line breaks inside a row become spaces', () => {
  expect(unescapeCopyText('{"a":"C:\\\\\\\\x \\\\"q\\\\""}\\t\\r\\n{}\n')).toEqual(['{"a":"C:\\\\x \\"q\\""}\t  {}\n', '']);
  expect(unescapeCopyText('no escapes at all\n')).toEqual(['no escapes at all\n', '']);
});

test('an escape cut by the end of a chunk is handed on to the next one; a whole one is not', () => {
  expect(unescapeCopyText('{"a":"x\\\\\\')).toEqual(['{"a":"x\\', '\\']);
  expect(unescapeCopyText('{"a":"x\\\\')).toEqual(['{"a":"x\\', '']);
});

test('rows cut anywhere, inside an escape or a character of several bytes, come out whole', async () => {
  const row = '{"t":"قصف 😀 \\\\\\\\"}\n';
  const bytes = Buffer.from(row.repeat(3));
  const expected = '{"t":"قصف 😀 \\\\"}\n'.repeat(3);
  // Every single cut, and cuts at every byte.
  for (let cut = 1; cut < bytes.length; cut++) expect(await textOf(copyLines(copying(bytes, [cut]), 'SELECT 1'))).toBe(expected);
  expect(await textOf(copyLines(copying(bytes, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)), 'SELECT 1'))).toBe(expected);
});
