/**
 * Who a request comes from: `Authorization: Bearer <token>` checked against the editors file. The token's SHA-256
 * is compared with every editor's in constant time (`crypto.timingSafeEqual`, no early exit), so timing tells
 * nothing about which hash, or how much of one, matched. Tokens are never kept, logged or echoed.
 */
import { statSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import type { EditorIdentity } from '../../schema/context';
import { HOW_TO_GET_A_TOKEN } from '../../schema/editing/require-editor';
import { readEditors, tokenHash } from './editors-file';

/** How often, at most, the editors file is looked at again for changes (an editor added while serving). */
const RECHECK_MS = 1000;

/** Identifies requests by their bearer token. */
export interface Authenticator {
  /** The editor the `Authorization` header names, or why it names none. */
  identify(authorization: string | undefined): EditorIdentity;
}

/** The refusal when no editors file is configured. */
const NOT_CONFIGURED: EditorIdentity = {
  refused: 'NOT_CONFIGURED',
  message: `Editing is not enabled on this server: no editors are configured. Set EDITORS_FILE to a file of editors and restart. ${HOW_TO_GET_A_TOKEN}`,
};

/**
 * An authenticator over the editors file `file` (null: none configured, every mutation refused). The file is read
 * now (a bad one throws) and again when it changes; a bad change is logged and the editors read before stay.
 */
export function createAuthenticator(file: string | null, logger: Logger): Authenticator {
  if (file === null) return { identify: () => NOT_CONFIGURED };
  let editors = readEditors(file).map((e) => ({ name: e.name, hash: Buffer.from(e.tokenSha256, 'hex') }));
  let mtimeMs = statSync(file).mtimeMs;
  let checkedAt = Date.now();

  const refresh = () => {
    if (Date.now() - checkedAt < RECHECK_MS) return;
    checkedAt = Date.now();
    try {
      const now = statSync(file).mtimeMs;
      if (now === mtimeMs) return;
      editors = readEditors(file).map((e) => ({ name: e.name, hash: Buffer.from(e.tokenSha256, 'hex') }));
      mtimeMs = now;
      logger.info({ editors: editors.length }, 'editors file changed: editors read again');
    } catch (err) {
      logger.error({ err: (err as Error).message }, 'editors file changed but cannot be used; the editors read before stay');
    }
  };

  return {
    identify(authorization) {
      refresh();
      if (authorization === undefined || authorization === '') {
        return { refused: 'NO_TOKEN', message: `Mutations need an editor's token and this request has none. ${HOW_TO_GET_A_TOKEN}` };
      }
      const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(authorization);
      if (!match) {
        return { refused: 'MALFORMED', message: `The Authorization header must be "Bearer <token>". ${HOW_TO_GET_A_TOKEN}` };
      }
      const hash = Buffer.from(tokenHash(match[1]), 'hex');
      let name: string | null = null;
      for (const editor of editors) if (timingSafeEqual(hash, editor.hash) && name === null) name = editor.name;
      return name !== null
        ? { name }
        : { refused: 'UNKNOWN_TOKEN', message: `The token sent is not an editor's token on this server (mistyped, or revoked). ${HOW_TO_GET_A_TOKEN}` };
    },
  };
}
