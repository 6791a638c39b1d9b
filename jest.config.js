// Jest runs TypeScript as native ES modules through @swc/jest (no type-check here:
// `npm run typecheck` does that). Workspace packages resolve to their sources through
// the `weir-source` export condition.
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
  testEnvironmentOptions: { customExportConditions: ['weir-source', 'node', 'node-addons'] },
};

export default {
  // Many unit suites run real brokers over TCP in temp dirs; on two loaded cores a broker's
  // start or close in a hook can pass jest's 5 s default. (A global setting: jest ignores a
  // project's testTimeout. The e2e project raises it further in its setup file.)
  testTimeout: 20_000,
  // Suites run in a worker that is replaced once its heap passes this after a suite. Without
  // a limit, on a two-core machine (one worker) jest runs every suite of a project in the
  // jest process itself, and the heap that hundreds of suites leave behind makes each
  // garbage collection, and so every later suite, slower.
  workerIdleMemoryLimit: '600MB',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/*/src/**/*.spec.ts',
        '<rootDir>/apps/gateway/src/**/*.spec.ts',
        '<rootDir>/apps/console/app/**/*.spec.ts',
      ],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-timeout.ts'],
    },
  ],
};
