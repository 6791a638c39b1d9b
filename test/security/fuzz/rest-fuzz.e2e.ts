import fc from 'fast-check';
import { startSecureGateway, type SecureGateway } from '../support/secure-gateway.js';
import { hostileString, operationsOf, rawBodyFor, type OpenApiDocument, type Operation } from './openapi-arbitrary.js';

/**
 * Property-based fuzzing of every REST operation in the gateway's own OpenAPI document:
 * path and query parameters and bodies drawn from each operation's schema, with hostile
 * values (traversal, NUL, markup, huge and malformed JSON, wrong types) mixed in at every
 * level. Whatever arrives, the answer is below 500, an error is a Confluent body
 * `{error_code, message}` without a stack trace, and the gateway stays up. Authentication is
 * on; most requests carry the admin's key, the rest forged or malformed credentials.
 * FUZZ_RUNS (per operation) and FUZZ_SEED reproduce or widen a run.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 20);
const SEED = process.env['FUZZ_SEED'] === undefined ? Date.now() % 2 ** 31 : Number(process.env['FUZZ_SEED']);
const TOPIC = 'fuzz-topic';
const GROUP = 'fuzz-group';
const INSTANCE = 'fuzz-instance';

let gw: SecureGateway;
let doc: OpenApiDocument;
let clusterId: string;

beforeAll(async () => {
  // Authentication on, as a deployment runs; the rate limit out of the way so every request reaches its route.
  gw = await startSecureGateway({ env: { WEIR_RATE_LIMIT_PER_MINUTE: '10000000' } });
  doc = (await (await fetch(`${gw.baseUrl}/openapi.json`)).json()) as OpenApiDocument;
  clusterId = ((await (await fetch(`${gw.baseUrl}/v3/clusters`, { headers: gw.adminBearer })).json()) as { data: Array<{ cluster_id: string }> }).data[0]!.cluster_id;
  await post(`/v3/clusters/${clusterId}/topics`, { topic_name: TOPIC, partitions_count: 2 });
  await post(`/v3/clusters/${clusterId}/topics/${TOPIC}/records`, { value: { type: 'JSON', data: { n: 1 } } });
  await post(`/v2/consumers/${GROUP}`, { name: INSTANCE, format: 'json' }, 'application/vnd.kafka.v2+json');
  console.log(`REST fuzz: ${operationsOf(doc).length} operations x ${RUNS} runs, seed ${SEED} (FUZZ_SEED=${SEED} replays)`);
}, 120_000);

afterAll(async () => {
  await gw?.close();
});

async function post(path: string, body: unknown, contentType = 'application/json'): Promise<void> {
  const res = await fetch(`${gw.baseUrl}${path}`, { method: 'POST', headers: { ...gw.adminBearer, 'content-type': contentType }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`seeding ${path}: ${res.status} ${await res.text()}`);
}

/** Real values for path parameters (so requests reach deep code), or hostile ones. */
function pathValue(name: string, op: Operation): fc.Arbitrary<string> {
  const real: Record<string, string[]> = {
    cluster_id: [clusterId], topic_name: [TOPIC, '__consumer_offsets'], consumer_group_id: [GROUP], group: [GROUP], instance: [INSTANCE],
    partition_id: ['0', '1'], name: ['retention.ms', 'cleanup.policy'], transactional_id: ['tx'], consumer_id: ['m'],
    broker_id: ['1', '2'],
  };
  // Stopping the only broker would turn every later answer into "no broker": those two take other ids.
  if (name === 'broker_id' && /\/(stop|controlled-shutdown)$/.test(op.path)) {
    return fc.oneof(fc.integer({ min: 2, max: 2 ** 31 }).map(String), hostileString.filter((s) => s.trim() !== '1' && Number(s) !== 1));
  }
  const known = real[name] ?? [];
  return fc.oneof(
    { weight: known.length > 0 ? 4 : 0, arbitrary: known.length > 0 ? fc.constantFrom(...known) : fc.constant('x') },
    { weight: 2, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.integer().map(String) },
  );
}

function queryValue(op: Operation, p: Operation['parameters'][number]): fc.Arbitrary<string | undefined> {
  const schema = p.schema ?? {};
  const valid = schema.enum !== undefined ? fc.constantFrom(...schema.enum.map(String)) : schema.type === 'number' || schema.type === 'integer' ? fc.integer({ min: -5, max: 1000 }).map(String) : fc.string({ maxLength: 20 });
  void op;
  return fc.option(fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: hostileString }), { nil: undefined });
}

interface FuzzRequest {
  readonly url: string;
  readonly body: { text: string; contentType: string } | undefined;
  readonly auth: Readonly<Record<string, string>>;
}

/** Mostly the admin's key (so requests reach their handlers); sometimes forged or malformed credentials. */
function authFor(): fc.Arbitrary<Readonly<Record<string, string>>> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(gw.adminBearer) },
    { weight: 1, arbitrary: hostileString.map((s) => ({ authorization: `Bearer ${s}` })) },
    { weight: 1, arbitrary: hostileString.map((s) => ({ authorization: `Basic ${Buffer.from(s, 'latin1').toString('base64')}` })) },
    { weight: 1, arbitrary: hostileString.map((s) => ({ cookie: `weir_session=${encodeURIComponent(s)}` })) },
  );
}

function requestFor(op: Operation): fc.Arbitrary<FuzzRequest> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const pathParts = fc.tuple(...names.map((n) => pathValue(n, op)));
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const query = fc.tuple(...queryParams.map((p) => queryValue(op, p)));
  const body = op.body === undefined || op.method === 'GET' ? fc.constant(undefined) : fc.option(rawBodyFor(op.body), { nil: undefined, freq: 8 });
  return fc.tuple(pathParts, query, body, authFor()).map(([values, queryValues, b, auth]) => {
    let path = op.path;
    names.forEach((n, i) => (path = path.replace(`{${n}}`, encodeURIComponent(values[i]!))));
    const search = new URLSearchParams();
    queryParams.forEach((p, i) => {
      const v = queryValues[i];
      if (v !== undefined) search.set(p.name, v);
    });
    const qs = search.toString();
    return { url: `${gw.baseUrl}${path}${qs === '' ? '' : `?${qs}`}`, body: b, auth };
  });
}

async function send(op: Operation, req: FuzzRequest): Promise<{ status: number; text: string }> {
  const res = await fetch(req.url, {
    method: op.method,
    headers: req.body === undefined ? req.auth : { ...req.auth, 'content-type': req.body.contentType },
    ...(req.body === undefined ? {} : { body: req.body.text }),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: res.status, text: await res.text() };
}

function describeFailure(op: Operation, req: FuzzRequest, status: number, text: string): string {
  const url = req.url.slice(gw.baseUrl.length);
  return `${op.method} ${op.path} (${url.length > 160 ? `${url.slice(0, 160)}...` : url}) body=${JSON.stringify(req.body?.text.slice(0, 120))} -> ${status} ${text.slice(0, 200)}`;
}

describe('REST fuzzing from the OpenAPI document', () => {
  it('covers every operation the document lists', () => {
    expect(operationsOf(doc).length).toBeGreaterThan(60);
  });

  it('answers every generated request below 500 with a Confluent error body, and stays up', async () => {
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const op of operationsOf(doc)) {
      if (op.path === '/metrics' || op.path === '/healthz' || op.path === '/readyz') continue;
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (req) => {
          const { status, text } = await send(op, req);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const problem = status >= 500 ? 'server error' : status >= 400 && !isConfluentError(text) ? 'error without a Confluent body' : /\bat .+\.(ts|js):\d+/.test(text) ? 'stack trace in the answer' : undefined;
          if (problem !== undefined) failures.push(`${problem}: ${describeFailure(op, req, status, text)}`);
          return problem === undefined;
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      ).catch(() => undefined);
    }
    console.log(`REST fuzz answers by status: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s} x${n}`).join(', ')}`);
    const ready = await fetch(`${gw.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(failures).toEqual([]);
    // The requests reached handlers (successes) as well as validation (refusals).
    const count = (from: number, to: number) => [...statuses].filter(([s]) => s >= from && s < to).reduce((n, [, c]) => n + c, 0);
    expect(count(200, 300)).toBeGreaterThan(0);
    expect(count(400, 500)).toBeGreaterThan(0);
  }, 900_000);
});

function isConfluentError(text: string): boolean {
  try {
    const body = JSON.parse(text) as { error_code?: unknown; message?: unknown };
    return typeof body.error_code === 'number' && typeof body.message === 'string';
  } catch {
    return false;
  }
}
