// REST produce bench (W4). Run: npm run bench -- rest. The measurement is in run.ts;
// this entry first routes TypeScript through swc (see swc-hooks.ts) so the gateway's Nest
// decorators get their metadata, then loads it.
import { register } from 'node:module';

register('./swc-hooks.ts', import.meta.url);
await import('./run.js');
