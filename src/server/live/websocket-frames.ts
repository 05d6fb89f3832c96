/**
 * WebSocket frames of `next` messages, made so that the bytes of a change's answer are encoded once for every socket.
 * graphql-ws' message is `{"id":<id>,"type":"next","payload":<answer>}`; ws would encode that whole string for each
 * socket and frame it. Here the frame's head (RFC 6455 header and the message up to the payload) is made per socket,
 * a few dozen bytes, and the answer and closing brace is one shared Buffer: two writes into the corked TCP socket.
 */
import type { WebSocket } from 'ws';

/** The shared end of every `next` message of one answer: its text and the message's closing brace. */
export const nextTail = (text: string): Buffer => Buffer.from(`${text}}`);

/** The start of a subscription's `next` messages, up to the payload. */
export const nextPrefix = (id: string): Buffer => Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);

/** A final, unmasked text frame's header (a server's frames are never masked) followed by `prefix`, for a message of `prefix` and `tailBytes` more. */
export function frameHead(prefix: Buffer, tailBytes: number): Buffer {
  const length = prefix.length + tailBytes;
  const extra = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const head = Buffer.allocUnsafe(2 + extra + prefix.length);
  head[0] = 0x81; // FIN, opcode 1 (text)
  if (length < 126) head[1] = length;
  else if (length < 65536) {
    head[1] = 126;
    head.writeUInt16BE(length, 2);
  } else {
    head[1] = 127;
    head.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    head.writeUInt32BE(length >>> 0, 6);
  }
  prefix.copy(head, 2 + extra);
  return head;
}

/**
 * Whether ws' sender would write a frame to the TCP socket at once (nothing waits behind a compression or a Blob; the
 * server turns compression off): only then may a frame be written around it without changing the order of frames.
 */
export function senderIdle(socket: WebSocket): boolean {
  const sender = (socket as unknown as { _sender?: { _state?: number; _queue?: unknown[] } })._sender;
  return sender?._state === 0 && sender._queue?.length === 0;
}
