/** Every setting of the service, read from the environment and checked in one place. */
import { statSync } from 'node:fs';

/** The checked settings. */
export interface Config {
  port: number;
  host: string;
  eventsDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  cacheMaxAge: number;
  // Discovery (playground, introspection, /schema.graphql)
  introspection: boolean;
  playground: boolean;
}

/** One setting: its environment variable, default, meaning, and how its text becomes a value. */
interface Setting<K extends keyof Config> {
  key: K;
  env: string;
  default: string;
  description: string;
  parse(text: string): Config[K];
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

/** A switch: exactly `true` or `false`. */
function flag(text: string): boolean {
  if (text !== 'true' && text !== 'false') throw new SettingError('must be true or false');
  return text === 'true';
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
    description: 'Seconds that browsers and caches may keep GraphQL GET answers and exports (Cache-Control max-age); the data only changes on restart.',
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
      problems.push(`${setting.env}=${JSON.stringify(text)}: ${err.message} (default ${JSON.stringify(setting.default)})`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return config as Config;
}
