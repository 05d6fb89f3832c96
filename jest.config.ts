import type { Config } from 'jest';

/** Jest runs the TypeScript sources through ts-jest, which keeps the decorator metadata type-graphql needs. */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/__tests__/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: false }] },
  setupFiles: ['reflect-metadata'],
  // Builds the playground's assets (skipped when current); the browser and HTTP tests serve them.
  globalSetup: '<rootDir>/src/playground/build-before-tests.ts',
  testTimeout: 30000,
};

export default config;
