/** The `next` frames written around ws are byte for byte the frames ws itself would send. */
import * as ws from 'ws';
import { frameHead, nextPrefix, nextTail } from '../websocket-frames';

/** ws' own unmasked, final text frame of `message` (the server side: no mask). */
function wsFrame(message: string): Buffer {
  const frame = ((ws as unknown as { Sender: unknown }).Sender as { frame(data: Buffer, options: object): Buffer[] }).frame(Buffer.from(message), { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false });
  return Buffer.concat(frame);
}

it.each([
  ['a short answer (7-bit length)', 20],
  ['a medium answer (16-bit length)', 400],
  ['a large answer (64-bit length)', 70_000],
])('frames %s exactly as ws does', (_name, size) => {
  const answer = JSON.stringify({ data: { eventChanged: { title: 'é'.repeat(size / 2) } } });
  const prefix = nextPrefix('sub-1');
  const tail = nextTail(answer);
  const ours = Buffer.concat([frameHead(prefix, tail.length), tail]);
  expect(ours.equals(wsFrame(`{"id":"sub-1","type":"next","payload":${answer}}`))).toBe(true);
});
