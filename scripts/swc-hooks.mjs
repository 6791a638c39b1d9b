// Module hooks that compile TypeScript with swc and the repository's .swcrc, for running
// the gateway from its sources (benchmarks, child processes in tests). tsx alone cannot:
// esbuild emits no decorator metadata, and Nest's constructor injection needs it. Use
// after tsx (`--import tsx --import ./scripts/swc-hooks.mjs`): tsx still resolves `.js`
// specifiers to `.ts` files; these hooks, registered later, load them first.
import { register } from 'node:module';

register('./swc-load.mjs', import.meta.url);
