/**
 * Starts the real Dateline server with editing on, over a copy of the default data in a temporary folder (the folder
 * is the store, so edits are written there), with one editor whose token the tests send. `stop` closes the server and
 * the storage and removes the folders.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pino, { type Logger } from 'pino';
import { newToken, tokenHash, writeEditors } from '../server/auth/editors-file';
import type { ServerOptions } from '../server/create-server';
import { openService, type DatelineService } from '../service';
import { DEFAULT_EVENTS_DIR, startTestServer, type GraphQLBody, type TestServer } from './test-server';

/** A running server that editors can change. */
export interface EditingTestServer extends TestServer {
  /** The data folder it serves and edits. */
  dir: string;
  /** The file of editors it reads. */
  editorsFile: string;
  /** The token of the editor "Night desk". */
  token: string;
  service: DatelineService;
  /** POSTs a GraphQL request with the editor's token. */
  edit(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GraphQLBody; headers: Headers }>;
  /** Stops the server and the storage but keeps the folder, for a restart on it. */
  stopKeepingData(): Promise<void>;
}

/** How to start it; `dir` restarts on a folder an earlier server left (`stopKeepingData`). */
export interface EditingServerOptions {
  dir?: string;
  editorsFile?: string;
  token?: string;
  watch?: boolean;
  /** Serve a shared PostgreSQL instead of the folder (the folder then only holds the editors file's neighbour). */
  databaseUrl?: string;
  logger?: Logger;
  server?: Partial<ServerOptions>;
}

/** Starts a server that edits a copy of the default data (or `options.dir`). */
export async function startEditingServer(options: EditingServerOptions = {}): Promise<EditingTestServer> {
  const root = options.dir ? null : mkdtempSync(path.join(tmpdir(), 'dateline-editing-'));
  const dir = options.dir ?? path.join(root!, 'events');
  if (root) cpSync(DEFAULT_EVENTS_DIR, dir, { recursive: true });
  const token = options.token ?? newToken();
  const editorsFile = options.editorsFile ?? path.join(root!, 'editors.json');
  if (root) writeEditors(editorsFile, [{ name: 'Night desk', tokenSha256: tokenHash(token), createdAt: '2026-12-02T00:00:00.000Z' }]);
  const logger = options.logger ?? pino({ level: 'silent' });
  const service = await openService({ eventsDir: dir, databaseUrl: options.databaseUrl, changePollMs: 200, logger, watch: options.watch ?? false });
  const server = await startTestServer(dir, {
    logger,
    store: service.store,
    history: service.changeLog,
    editing: service.editing,
    editorsFile,
    live: service.live,
    readiness: service.status ?? undefined,
    ...options.server,
  });
  const stopKeepingData = async () => {
    await server.stop();
    await service.close();
  };
  return {
    ...server,
    dir,
    editorsFile,
    token,
    service,
    edit: (query, variables) => server.graphql(query, variables, { authorization: `Bearer ${token}` }),
    stopKeepingData,
    async stop() {
      await stopKeepingData();
      if (root) rmSync(root, { recursive: true, force: true });
    },
  };
}
