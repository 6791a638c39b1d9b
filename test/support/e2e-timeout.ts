import { jest } from '@jest/globals';

// Jest reads `testTimeout` from the global config only, so the e2e project sets its own
// here: each suite starts a gateway (a registry, brokers, listeners) in its hooks, which
// on a loaded two-core machine can take well over the unit suites' limit. Suites that
// need longer still say so.
jest.setTimeout(60_000);
