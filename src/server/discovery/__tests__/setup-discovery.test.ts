/** setupDiscovery: refuses to start a playground that was never built, and needs no assets when the playground is off. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { introspectionOffRule } from '../introspection-off.rule';
import { PlaygroundNotBuiltError, setupDiscovery } from '../setup-discovery';

const logger = pino({ level: 'silent' });
let emptyDir: string;
beforeAll(() => {
  emptyDir = mkdtempSync(path.join(tmpdir(), 'dateline-no-playground-'));
});
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

it('fails with a message saying how to build the playground when its assets are missing', () => {
  expect(() => setupDiscovery({ introspection: true, playground: true, logger, assetsDir: emptyDir })).toThrow(PlaygroundNotBuiltError);
  expect(() => setupDiscovery({ introspection: true, playground: true, logger, assetsDir: emptyDir })).toThrow(/npm run build:playground.*or set PLAYGROUND=false/);
});

it('needs no built assets when the playground is off, directly or through INTROSPECTION=false', () => {
  expect(setupDiscovery({ introspection: true, playground: false, logger, assetsDir: emptyDir }).validationRules).toEqual([]);
  expect(setupDiscovery({ introspection: false, playground: true, logger, assetsDir: emptyDir }).validationRules).toEqual([introspectionOffRule]);
});
