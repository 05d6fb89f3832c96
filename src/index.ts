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

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DataError) {
    process.stderr.write(`Dateline cannot start. ${err.message}\n`);
  } else {
    process.stderr.write(`Dateline cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
