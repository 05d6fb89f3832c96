/** The INTROSPECTION and PLAYGROUND settings: on by default, switched by exactly true or false. */
import { ConfigError, loadConfig } from '../config';

it('turns introspection and the playground on by default', () => {
  const config = loadConfig({});
  expect({ introspection: config.introspection, playground: config.playground }).toEqual({ introspection: true, playground: true });
});

it('reads true and false', () => {
  const config = loadConfig({ INTROSPECTION: 'false', PLAYGROUND: 'false' });
  expect({ introspection: config.introspection, playground: config.playground }).toEqual({ introspection: false, playground: false });
  expect(loadConfig({ INTROSPECTION: 'true', PLAYGROUND: 'true' })).toMatchObject({ introspection: true, playground: true });
});

it('names each setting that is neither true nor false', () => {
  let error: unknown;
  try {
    loadConfig({ INTROSPECTION: 'no', PLAYGROUND: 'off' });
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).problems).toEqual([
    'INTROSPECTION="no": must be true or false (or 1 or 0) (default "true")',
    'PLAYGROUND="off": must be true or false (or 1 or 0) (default "true")',
  ]);
});
