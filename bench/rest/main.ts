// REST produce bench (W4). Run: npm run bench -- rest. The measurement is in run.ts;
// this entry first routes TypeScript through swc (scripts/swc-hooks.mjs, shared with the
// durability tests) so the gateway's Nest decorators keep their metadata, then loads it.
// Static imports would be evaluated before the hook is registered, hence the dynamic one.
import '../../scripts/swc-hooks.mjs';

await import('./run.js');
