/** Starts Dateline: reads the settings, opens the data and the parts that change it, listens, and stops cleanly on SIGINT/SIGTERM. */
import 'reflect-metadata';
import pino from 'pino';
import { ConfigError, loadConfig } from './config';
import { DataError } from './data/problems';
import { EditorsFileError } from './server/auth/editors-file';
import { DatabaseError } from './storage/postgres/database-error';
import { lowerHelperThreads } from './store/helper-threads';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  // The data and the server's modules (GraphQL, Apollo, the transports) are loaded only once the settings are known
  // to be good, and the server's only once the data is: a mistake in either is reported at once.
  const { openService } = await import('./service');
  const service = await openService({
    eventsDir: config.eventsDir,
    databaseUrl: config.databaseUrl,
    changePollMs: config.changePollMs,
    replicaMaxLagMs: config.replicaMaxLagMs,
    logger,
  });
  const { store } = service;
  const { createServer } = await import('./server/create-server');
  const server = await createServer({
    store,
    logger,
    history: service.changeLog,
    editing: service.editing,
    editorsFile: config.editorsFile,
    readiness: service.status ?? undefined,
    live: service.live,
    liveOptions: config,
    cacheMaxAge: config.cacheMaxAge,
    introspection: config.introspection,
    playground: config.playground,
    hardening: config,
    entityJsonBytes: config.entityCacheBytes,
  });
  const url = await server.listen(config.port, config.host);
  // Once listening, every thread the start made (V8's helpers, libuv's pool for the files) is there to be lowered.
  lowerHelperThreads(config.helperThreadsNice);
  logger.info({ url, ...store.counts, dataVersion: store.version }, `Dateline serving ${store.counts.events} events, ${store.counts.places} places, ${store.counts.actors} actors and ${store.counts.sources} sources at ${url}`);
  logger.info(
    { editorsFile: config.editorsFile, changes: service.openedChanges.length },
    config.editorsFile ? `editing on: editors in ${config.editorsFile}` : 'editing off: every mutation is refused until EDITORS_FILE names a file of editors (npm run editor)',
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'stopping: finishing requests in flight');
    // Backstop: exit when the grace period is over even if something still holds the process.
    setTimeout(() => process.exit(1), config.shutdownGraceMs + 1000).unref();
    server
      .stop()
      .then(() => service.close())
      .then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'could not stop cleanly');
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** What to tell the person starting the service when listening fails for a reason they can fix. */
function listenProblem(err: NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string }): string | null {
  const port = process.env.PORT ?? '4000';
  const host = process.env.HOST ?? '0.0.0.0';
  if (err.code === 'EADDRINUSE') return `port ${port} on ${host} is already in use; set PORT to a free port (or 0 to pick one), or stop what uses it.`;
  if (err.code === 'EACCES') return `port ${port} on ${host} needs privileges this process lacks; set PORT to 1024 or above.`;
  if (err.code === 'EADDRNOTAVAIL') return `HOST ${JSON.stringify(host)} is not an address of this machine; set HOST to one (0.0.0.0 for all, 127.0.0.1 for this machine only).`;
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return `HOST ${JSON.stringify(host)} cannot be resolved to an address; set HOST to an address of this machine (0.0.0.0 for all).`;
  return null;
}

main().catch((err: unknown) => {
  const listening = err instanceof Error ? listenProblem(err) : null;
  if (err instanceof ConfigError || err instanceof DataError || err instanceof EditorsFileError || err instanceof DatabaseError) {
    process.stderr.write(`Dateline cannot start. ${err.message}\n`);
  } else if (listening) {
    process.stderr.write(`Dateline cannot start: ${listening}\n`);
  } else {
    process.stderr.write(`Dateline cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
