import type { Config } from 'jest';

/** Jest runs the TypeScript sources through ts-jest, which keeps the decorator metadata type-graphql needs. */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: false }] },
  setupFiles: ['reflect-metadata'],
  // Builds the playground's assets (skipped when current), which the browser and HTTP tests serve, and gives the
  // run its own TMPDIR; the teardown fails the run if a test left anything there.
  globalSetup: '<rootDir>/src/test-support/global-setup.ts',
  globalTeardown: '<rootDir>/src/test-support/global-teardown.ts',
  testTimeout: 30000,
  // A worker that holds more than this after a test file is replaced by a fresh one: files that build large data
  // sets leave memory behind, and the next file's timings (a deadline's stop, say) must not pay for its collection.
  workerIdleMemoryLimit: '1GB',
};

export default config;
