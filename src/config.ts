/** Every setting of the service, read from the environment and checked in one place. */
import { statSync } from 'node:fs';
import { DEFAULT_ENTITY_JSON_BYTES } from './server/fast-path/defaults';
import { DEFAULT_HARDENING as HARDENING, type HardeningOptions } from './server/hardening/options';
import { DEFAULT_LIVE as LIVE, type LiveOptions } from './server/live/live-options';
import { redactUrl } from './storage/postgres/database-error';
import { DEFAULT_HELPER_THREADS_NICE } from './store/helper-threads';

/** The checked settings. */
export interface Config extends HardeningOptions, LiveOptions {
  port: number;
  host: string;
  eventsDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  cacheMaxAge: number;
  // Discovery (playground, introspection, /schema.graphql)
  introspection: boolean;
  playground: boolean;
  /** File of editors (names and SHA-256 of their tokens); null: editing is off. */
  editorsFile: string | null;
  // Shared store (issue 14): see src/storage/postgres
  /** PostgreSQL shared by the replicas; null: the folder is the store. */
  databaseUrl: string | null;
  /** Milliseconds a replica may go without confirming it is current before /readyz says not ready. */
  replicaMaxLagMs: number;
  /** Milliseconds between backstop reads of the change log. */
  changePollMs: number;
  /** Most bytes of entities' JSON the fast path keeps for reuse (see src/server/fast-path); 0: none. */
  entityCacheBytes: number;
  /** How many nice values the process's helper threads run below the main thread (see src/store/helper-threads.ts); 0: equal. */
  helperThreadsNice: number;
}

/** One setting: its environment variable, default, meaning, and how its text becomes a value. */
interface Setting<K extends keyof Config> {
  key: K;
  env: string;
  default: string;
  description: string;
  parse(text: string): Config[K];
  /** How a wrong value is shown in the error (a secret in it hidden); default: as given. */
  shown?(text: string): string;
}

/** A setting's value is wrong; the message names the variable, the value and what is expected. */
class SettingError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function integer(min: number, max: number) {
  return (text: string): number => {
    if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
      throw new SettingError(`must be a whole number from ${min} to ${max}`);
    }
    return Number(text);
  };
}

/** A switch: true or false (1 or 0 also accepted). */
function flag(text: string): boolean {
  if (!['true', 'false', '1', '0'].includes(text)) throw new SettingError('must be true or false (or 1 or 0)');
  return text === 'true' || text === '1';
}

/** Every setting the service reads, with its default; the README lists the same. */
export const SETTINGS: Setting<keyof Config>[] = [
  { key: 'port', env: 'PORT', default: '4000', description: 'TCP port to listen on; 0 picks a free one.', parse: integer(0, 65535) },
  {
    key: 'host',
    env: 'HOST',
    default: '0.0.0.0',
    description: 'Interface to listen on; 127.0.0.1 keeps the service to this machine.',
    parse: (text) => {
      if (!text.trim()) throw new SettingError('must be a host name or IP address');
      return text;
    },
  },
  {
    key: 'eventsDir',
    env: 'EVENTS_DIR',
    default: 'events',
    description: 'Folder of data files to serve (see "Data format").',
    parse: (text) => {
      let isDir = false;
      try {
        isDir = statSync(text).isDirectory();
      } catch {
        throw new SettingError('must be an existing folder of data files; no such folder');
      }
      if (!isDir) throw new SettingError('must be a folder of data files, not a file');
      return text;
    },
  },
  {
    key: 'logLevel',
    env: 'LOG_LEVEL',
    default: 'info',
    description: `Least severe log level written: ${LOG_LEVELS.join(', ')}.`,
    parse: (text) => {
      if (!(LOG_LEVELS as readonly string[]).includes(text)) throw new SettingError(`must be one of ${LOG_LEVELS.join(', ')}`);
      return text as Config['logLevel'];
    },
  },
  {
    key: 'cacheMaxAge',
    env: 'CACHE_MAX_AGE',
    default: '300',
    description: 'Seconds that browsers and caches may keep GraphQL GET answers and exports without asking again (Cache-Control max-age); after that they revalidate with the ETag, which changes with every edit. Set 0 when clients must see edits at once.',
    parse: integer(0, 31_536_000),
  },
  // Discovery (playground, introspection, /schema.graphql)
  {
    key: 'introspection',
    env: 'INTROSPECTION',
    default: 'true',
    description: 'Answer introspection (__schema, __type) and serve the SDL at /schema.graphql; false also turns the playground off.',
    parse: flag,
  },
  { key: 'playground', env: 'PLAYGROUND', default: 'true', description: 'Serve the GraphiQL playground to browsers at GET /graphql.', parse: flag },
  // Editing (issue 12)
  {
    key: 'editorsFile',
    env: 'EDITORS_FILE',
    default: '',
    description: 'File of editors allowed to run mutations (names and SHA-256 of their tokens; `npm run editor` adds one); empty: every mutation is refused.',
    parse: (text) => {
      if (text === '') return null;
      let isFile = false;
      try {
        isFile = statSync(text).isFile();
      } catch {
        throw new SettingError(`must be an existing editors file; there is none: create it with npm run editor -- --name "Your name" --file ${text}`);
      }
      if (!isFile) throw new SettingError('must be an editors file, not a folder');
      return text;
    },
  },
  // --- Shared store (issue 14): PostgreSQL instead of the folder; see src/storage/postgres. ---
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    default: '',
    description: 'postgres://user:password@host:port/database of a PostgreSQL shared by every replica; empty serves and edits the folder EVENTS_DIR instead.',
    parse: (text) => {
      if (!text) return null;
      const problem = 'must be a connection string like postgres://user:password@host:5432/dateline, or empty';
      if (!/^postgres(ql)?:\/\/[^/\s]+\/[^\s]*$/.test(text)) throw new SettingError(problem);
      try {
        new URL(text);
      } catch {
        throw new SettingError(`${problem} (check the host and port; encode @ : / ? # and % in a password as %40 %3A %2F %3F %23 %25)`);
      }
      return text;
    },
    // The error names the URL, not its password: settings errors end up in logs and terminals.
    shown: redactUrl,
  },
  { key: 'replicaMaxLagMs', env: 'REPLICA_MAX_LAG_MS', default: '5000', description: 'With DATABASE_URL: /readyz answers not ready once this many milliseconds passed without this replica confirming it applied every change in the database.', parse: integer(100, 3_600_000) },
  { key: 'changePollMs', env: 'CHANGE_POLL_MS', default: '1000', description: 'With DATABASE_URL: milliseconds between reads of the change log that back up the LISTEN/NOTIFY doorbell.', parse: integer(10, 600_000) },
  {
    key: 'entityCacheBytes',
    env: 'ENTITY_CACHE_BYTES',
    default: String(DEFAULT_ENTITY_JSON_BYTES),
    description: "Most bytes of entities' JSON kept to reuse in later answers (counted at two bytes a character, with each entry's overhead); the default holds the full detail of 20,000 events. 0 serializes every answer whole.",
    parse: integer(0, 16 * 1024 * 1024 * 1024),
  },
  {
    key: 'helperThreadsNice',
    env: 'HELPER_THREADS_NICE',
    default: String(DEFAULT_HELPER_THREADS_NICE),
    description:
      "On Linux, how many nice values lower the scheduling priority of the process's helper threads (V8's garbage collection and compilers, libuv's pool) is than the main thread's, so that the thread answering requests gets a core first while a collection marks a large heap (10 is a good value on few cores); 0 leaves them equal.",
    parse: integer(0, 19),
  },
  // --- Live updates (issue 13): subscriptions over WebSocket and Server-Sent Events; see src/server/live. ---
  { key: 'liveMaxConnections', env: 'LIVE_MAX_CONNECTIONS', default: String(LIVE.liveMaxConnections), description: 'Most open subscription connections (WebSockets and event streams together); one more is refused (WebSocket close 1013, event stream 503).', parse: integer(1, 1_000_000) },
  { key: 'liveMaxSubscriptionsPerConnection', env: 'LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION', default: String(LIVE.liveMaxSubscriptionsPerConnection), description: 'Most subscriptions running at once on one WebSocket; one more is answered with a LIMIT_EXCEEDED error.', parse: integer(1, 1000) },
  { key: 'liveConnectionInitTimeoutMs', env: 'LIVE_CONNECTION_INIT_TIMEOUT_MS', default: String(LIVE.liveConnectionInitTimeoutMs), description: 'Milliseconds a WebSocket has to send connection_init before it is closed with 4408.', parse: integer(100, 600_000) },
  { key: 'livePingIntervalMs', env: 'LIVE_PING_INTERVAL_MS', default: String(LIVE.livePingIntervalMs), description: 'Milliseconds between pings to each WebSocket; one that has not answered by the next ping is cut, and so is an event stream that cannot take a message for this long. 0 turns both off.', parse: integer(0, 3_600_000) },
  { key: 'liveQueueLimit', env: 'LIVE_QUEUE_LIMIT', default: String(LIVE.liveQueueLimit), description: 'Most changes waiting for one subscriber; one more ends its subscription with a RESYNC error that carries the cursor to resume changes(after:) from.', parse: integer(1, 1_000_000) },
  // --- Hardening (issue 4): limits, timeouts and error detail; see src/server/hardening. ---
  { key: 'maxBodyBytes', env: 'MAX_BODY_BYTES', default: String(HARDENING.maxBodyBytes), description: 'Largest request body read, in bytes; a larger one is answered 413.', parse: integer(1024, 10 * 1024 * 1024) },
  { key: 'maxCost', env: 'MAX_QUERY_COST', default: String(HARDENING.maxCost), description: 'Largest query cost executed; a connection costs its page size times the fields in it, a list its longest length in the data times its fields.', parse: integer(1, 10_000_000) },
  { key: 'maxDepth', env: 'MAX_QUERY_DEPTH', default: String(HARDENING.maxDepth), description: 'Deepest field nesting of an operation (introspection fields not counted).', parse: integer(1, 1000) },
  { key: 'maxFields', env: 'MAX_QUERY_FIELDS', default: String(HARDENING.maxFields), description: 'Most fields written in one document (fragments counted once); refused before parsing, by a scan of the query text.', parse: integer(1, 100_000) },
  { key: 'maxSelections', env: 'MAX_QUERY_SELECTIONS', default: String(HARDENING.maxSelections), description: 'Most selections in one selection set (between one pair of braces); refused before parsing, by a scan of the query text.', parse: integer(1, 100_000) },
  { key: 'maxAliases', env: 'MAX_QUERY_ALIASES', default: String(HARDENING.maxAliases), description: 'Most aliases in one document.', parse: integer(0, 10_000) },
  { key: 'maxDirectives', env: 'MAX_QUERY_DIRECTIVES', default: String(HARDENING.maxDirectives), description: 'Most directive uses in one document.', parse: integer(0, 10_000) },
  { key: 'maxTokens', env: 'MAX_QUERY_TOKENS', default: String(HARDENING.maxTokens), description: 'Most lexical tokens parsed from one query string.', parse: integer(1, 1_000_000) },
  { key: 'maxAnswerChars', env: 'MAX_ANSWER_CHARS', default: String(HARDENING.maxAnswerChars), description: 'Largest GraphQL answer built, in characters of JSON; a request that grows past it is stopped with LIMIT_EXCEEDED.', parse: integer(1000, 1_000_000_000) },
  { key: 'exportDefaultLimit', env: 'EXPORT_DEFAULT_LIMIT', default: String(HARDENING.exportDefaultLimit), description: 'Events per export page when the URL gives no limit.', parse: integer(1, 100_000) },
  { key: 'exportMaxLimit', env: 'EXPORT_MAX_LIMIT', default: String(HARDENING.exportMaxLimit), description: 'Most events one export page holds (its limit parameter); the Link rel="next" header leads to the rest.', parse: integer(1, 100_000) },
  { key: 'executionTimeoutMs', env: 'EXECUTION_TIMEOUT_MS', default: String(HARDENING.executionTimeoutMs), description: 'Milliseconds after which a GraphQL request is answered with a TIMEOUT error.', parse: integer(1, 600_000) },
  { key: 'headersTimeoutMs', env: 'HEADERS_TIMEOUT_MS', default: String(HARDENING.headersTimeoutMs), description: 'Milliseconds a client has to send the request headers.', parse: integer(1, 600_000) },
  { key: 'requestTimeoutMs', env: 'REQUEST_TIMEOUT_MS', default: String(HARDENING.requestTimeoutMs), description: 'Milliseconds a client has to send the whole request.', parse: integer(1, 600_000) },
  { key: 'shutdownGraceMs', env: 'SHUTDOWN_GRACE_MS', default: String(HARDENING.shutdownGraceMs), description: 'On SIGTERM, milliseconds requests in flight get to finish before the process exits anyway.', parse: integer(0, 600_000) },
  {
    key: 'corsOrigins',
    env: 'CORS_ORIGINS',
    default: '*',
    description: 'Browser origins allowed by CORS, comma-separated (e.g. https://a.example,https://b.example), or * for any; never with credentials.',
    parse: (text) => {
      if (text.trim() === '*') return '*';
      const origins = text.split(',').map((o) => o.trim()).filter(Boolean);
      const bad = origins.filter((o) => !/^https?:\/\/[^/\s]+$/.test(o));
      if (!origins.length || bad.length) throw new SettingError(`must be * or origins like https://example.org separated by commas${bad.length ? `; not an origin: ${bad.join(', ')}` : ''}`);
      return origins;
    },
  },
  { key: 'debugErrors', env: 'DEBUG_ERRORS', default: String(HARDENING.debugErrors), description: 'true shows stack traces of errors in responses; for local debugging only.', parse: flag },
  { key: 'production', env: 'NODE_ENV', default: 'development', description: 'production hides "Did you mean ...?" schema suggestions in error messages.', parse: (text) => text === 'production' },
  { key: 'testDelayMs', env: 'DATELINE_TEST_DELAY_MS', default: String(HARDENING.testDelayMs), description: 'Test only: milliseconds to wait before executing each operation; leave at 0.', parse: integer(0, 60_000) },
];

/** Settings that could not be used; lists every wrong one, not just the first. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks every setting from `env`; throws a {@link ConfigError} naming each bad one. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config: Partial<Record<keyof Config, unknown>> = {};
  const problems: string[] = [];
  for (const setting of SETTINGS) {
    const text = env[setting.env] ?? setting.default;
    try {
      config[setting.key] = setting.parse(text);
    } catch (err) {
      if (!(err instanceof SettingError)) throw err;
      problems.push(`${setting.env}=${JSON.stringify(setting.shown?.(text) ?? text)}: ${err.message} (default ${JSON.stringify(setting.default)})`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return config as Config;
}
