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
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // Many unit suites run real brokers over TCP in temp dirs; on two loaded cores a
      // broker's start or close in a hook can pass jest's 5 s default.
      testTimeout: 20_000,
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
      // Each suite starts a gateway (a registry, brokers, listeners) in its hooks: on a loaded
      // machine that alone can pass jest's 5 s default. Suites that need longer say so.
      testTimeout: 60_000,
    },
  ],
};
