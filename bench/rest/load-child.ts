// The load generator of the REST bench, run as a child process so that autocannon and the
// streaming client do not share the gateway's event loop (they still share the 2 cores).
// argv[2]: a JSON LoadJob. Prints one JSON line: the LoadResult.
import autocannon from 'autocannon';
import { batchBody, recordJson } from './payloads.js';
import { runStreams } from './stream-client.js';
import type { LoadJob, LoadResult } from './load.js';

async function run(job: LoadJob): Promise<LoadResult> {
  if (job.kind === 'stream') {
    const r = await runStreams({ url: job.url, streams: job.connections, durationSec: job.durationSec, recordsPerWrite: job.recordsPerWrite });
    return { requestsPerSec: NaN, recordsPerSec: r.recordsPerSec, ok: r.recordsOk, failed: r.records - r.recordsOk, seconds: r.seconds, p50Ms: NaN, p99Ms: NaN };
  }
  const body = job.kind === 'batch' ? batchBody(job.recordsPerRequest) : recordJson(0);
  const result = await autocannon({
    url: job.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: job.connections,
    pipelining: job.pipelining,
    duration: job.durationSec,
  });
  const ok = result['2xx'];
  const failed = result.non2xx + result.errors + result.timeouts;
  return {
    requestsPerSec: ok / result.duration,
    recordsPerSec: (ok * (job.kind === 'batch' ? job.recordsPerRequest : 1)) / result.duration,
    ok,
    failed,
    seconds: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

const job = JSON.parse(process.argv[2]!) as LoadJob;
run(job).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
