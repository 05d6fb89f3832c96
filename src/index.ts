/** Starts Dateline: reads the settings, loads the data, listens, and stops cleanly on SIGINT/SIGTERM. */
import 'reflect-metadata';
import pino from 'pino';
import { ConfigError, loadConfig } from './config';
import { loadDataset } from './data/load-dataset';
import { DataError } from './data/problems';
import { createServer } from './server/create-server';
import { EventStore } from './store/event-store';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const store = new EventStore(await loadDataset(config.eventsDir));
  const server = await createServer({
    store,
    logger,
    cacheMaxAge: config.cacheMaxAge,
    introspection: config.introspection,
    playground: config.playground,
    hardening: config,
  });
  const url = await server.listen(config.port, config.host);
  logger.info({ url, ...store.counts, dataVersion: store.version }, `Dateline serving ${store.counts.events} events, ${store.counts.places} places, ${store.counts.actors} actors and ${store.counts.sources} sources at ${url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.shutdownGraceMs }, 'stopping: finishing requests in flight');
    // Backstop: exit when the grace period is over even if something still holds the process.
    setTimeout(() => process.exit(1), config.shutdownGraceMs + 1000).unref();
    server.stop().then(
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
  if (err instanceof ConfigError || err instanceof DataError) {
    process.stderr.write(`Dateline cannot start. ${err.message}\n`);
  } else if (listening) {
    process.stderr.write(`Dateline cannot start: ${listening}\n`);
  } else {
    process.stderr.write(`Dateline cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
