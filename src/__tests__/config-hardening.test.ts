/** The hardening settings: their defaults are the hardening defaults, and bad values are named. */
import { ConfigError, loadConfig } from '../config';
import { DEFAULT_HARDENING } from '../server/hardening/options';

const base = { EVENTS_DIR: 'events' };

it('defaults every hardening setting to the hardening defaults', () => {
  const config = loadConfig(base);
  const picked = Object.fromEntries(Object.keys(DEFAULT_HARDENING).map((k) => [k, config[k as keyof typeof DEFAULT_HARDENING]]));
  expect(picked).toEqual(DEFAULT_HARDENING);
});

it('reads limits, origins, debug and production from the environment', () => {
  const config = loadConfig({ ...base, MAX_QUERY_COST: '500', CORS_ORIGINS: 'https://a.example, http://localhost:3000', DEBUG_ERRORS: 'true', NODE_ENV: 'production' });
  expect({ maxCost: config.maxCost, corsOrigins: config.corsOrigins, debugErrors: config.debugErrors, production: config.production }).toEqual({
    maxCost: 500,
    corsOrigins: ['https://a.example', 'http://localhost:3000'],
    debugErrors: true,
    production: true,
  });
});

it('names every bad hardening setting at once', () => {
  let error: unknown;
  try {
    loadConfig({ ...base, MAX_QUERY_DEPTH: '0', CORS_ORIGINS: 'a.example', DEBUG_ERRORS: 'yes' });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).problems).toEqual([
    'MAX_QUERY_DEPTH="0": must be a whole number from 1 to 1000 (default "12")',
    'CORS_ORIGINS="a.example": must be * or origins like https://example.org separated by commas; not an origin: a.example (default "*")',
    'DEBUG_ERRORS="yes": must be true or false (or 1 or 0) (default "false")',
  ]);
});
