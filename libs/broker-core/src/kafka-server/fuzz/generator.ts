import { API_CATALOG } from '../../protocol/api-catalog.js';
import { API_KEYS, isFlexibleVersion } from '../../protocol/api-keys.js';
import { encodeRequestHeader } from '../../protocol/header.js';
import type { ApiHandler } from '../api-handler.js';
import { MarkingWriter } from './marking-writer.js';
import { MUTATION_WEIGHTS, MUTATIONS, mutate, type Mutation, type MutationContext, type SeedFrame } from './mutators.js';
import { Rng } from './random.js';
import { longPollFetch, SEED_BUILDERS, type SeedContext } from './seeds.js';

/** One frame as sent: its size prefix (true or not) and body, and where it came from. */
export interface GeneratedFrame {
  /** Sequence number in the run, from 0. */
  readonly index: number;
  readonly bytes: Buffer;
  readonly mutation: Mutation;
  /** The seed's API and version (before any mutation). */
  readonly apiKey: number;
  readonly version: number;
}

export interface FrameGeneratorOptions {
  readonly seed: number;
  /** The listener's socket.request.max.bytes (size-prefix lies are drawn around it). */
  readonly maxRequestBytes: number;
  /** The APIs and versions the listener serves: seeds cover every one of them. */
  readonly served: readonly Pick<ApiHandler, 'apiKey' | 'minVersion' | 'maxVersion'>[];
  readonly context: SeedContext;
  /** Seeds kept for reuse (a new one replaces a random slot every few frames). */
  readonly poolSize?: number;
  readonly mutationWeights?: Partial<Record<Mutation, number>>;
}

/**
 * How often each API is drawn: the data path (and the APIs every client calls first)
 * more than admin requests, whose topic churn costs the broker synchronous fsyncs.
 */
const API_WEIGHTS: ReadonlyMap<number, number> = new Map([
  [API_KEYS.Produce, 3], [API_KEYS.Fetch, 3], [API_KEYS.ListOffsets, 2], [API_KEYS.Metadata, 2], [API_KEYS.ApiVersions, 2],
]);

const CLIENT_IDS = ['weir-fuzz', 'weir-fuzz', 'weir-fuzz', '', null, 'c'.repeat(300)];

/**
 * A deterministic stream of request frames: valid seeds for every served API and
 * version (and the versions the codecs speak but the listener does not), built with the
 * generated codecs and real record batches, then mutated. Frame `i` depends only on the
 * seed and the options, never on timing or responses.
 */
export class FrameGenerator {
  private readonly rng: Rng;
  private readonly pool: SeedFrame[] = [];
  private readonly poolSize: number;
  private readonly mutations: (readonly [number, Mutation])[];
  private readonly mutationCtx: MutationContext;
  private readonly apis: { apiKey: number; served: [number, number]; codec: [number, number] }[];
  private readonly apiWeights: (readonly [number, { apiKey: number; served: [number, number]; codec: [number, number] }])[];
  private nextIndex = 0;
  /** The seed of the last burst, for `burst(n, like)` to carry on with. */
  private burstSeed: SeedFrame | undefined;

  constructor(private readonly options: FrameGeneratorOptions) {
    this.rng = new Rng(options.seed);
    this.poolSize = options.poolSize ?? 256;
    this.mutations = MUTATIONS.map((m) => [options.mutationWeights?.[m] ?? MUTATION_WEIGHTS[m], m] as const).filter(([w]) => w > 0);
    this.apis = options.served.filter((h) => SEED_BUILDERS.has(h.apiKey)).map((h) => {
      const catalog = API_CATALOG.find((api) => api.apiKey === h.apiKey)!;
      return { apiKey: h.apiKey, served: [h.minVersion, h.maxVersion], codec: [catalog.min, catalog.max] };
    });
    this.apiWeights = this.apis.map((api) => [API_WEIGHTS.get(api.apiKey) ?? 1, api] as const);
    this.mutationCtx = {
      rng: this.rng,
      maxRequestBytes: options.maxRequestBytes,
      servedApiKeys: new Set(options.served.map((h) => h.apiKey)),
      other: () => this.seedFrame(),
    };
  }

  /** Every served API and version once, unmutated: the frames a fuzz run starts with. */
  allSeeds(): SeedFrame[] {
    const out: SeedFrame[] = [];
    for (const api of this.apis) {
      for (let v = api.codec[0]; v <= api.codec[1]; v++) out.push(this.build(api.apiKey, v));
    }
    return out;
  }

  next(): GeneratedFrame {
    const index = this.nextIndex++;
    const seed = this.seedFrame();
    const mutation = this.rng.weighted(this.mutations);
    if (seed.body.length >= 8) seed.body.writeInt32BE(index & 0x7fffffff, 4);
    return { index, bytes: mutate(seed, mutation, this.mutationCtx), mutation, apiKey: seed.apiKey, version: seed.version };
  }

  /**
   * `n` copies of one valid request (each with its own correlation id): a client
   * pipelining far more requests than the listener keeps in flight, in one write. With
   * `like` (a frame of the previous burst), more copies of the same request.
   */
  burst(n: number, like?: GeneratedFrame): GeneratedFrame[] {
    // Half of them long-polls, which stay in flight together; the rest any pool seed.
    const fetch = this.apis.find((api) => api.apiKey === API_KEYS.Fetch);
    const seed = like !== undefined
      ? this.burstSeed!
      : fetch !== undefined && this.rng.chance(0.5)
        ? this.build(API_KEYS.Fetch, this.rng.range(fetch.served[0], fetch.served[1]), 0, longPollFetch)
        : this.seedFrame();
    this.burstSeed = seed;
    return Array.from({ length: n }, () => {
      const index = this.nextIndex++;
      if (seed.body.length >= 8) seed.body.writeInt32BE(index & 0x7fffffff, 4);
      return { index, bytes: mutate(seed, 'burst', this.mutationCtx), mutation: 'burst' as const, apiKey: seed.apiKey, version: seed.version };
    });
  }

  /** Wraps an unmutated seed as a frame (for the opening pass over every version). */
  frameOf(seed: SeedFrame): GeneratedFrame {
    const index = this.nextIndex++;
    if (seed.body.length >= 8) seed.body.writeInt32BE(index & 0x7fffffff, 4);
    return { index, bytes: mutate(seed, 'none', this.mutationCtx), mutation: 'none', apiKey: seed.apiKey, version: seed.version };
  }

  private seedFrame(): SeedFrame {
    if (this.pool.length < this.poolSize) {
      const seed = this.newSeed();
      this.pool.push(seed);
      return seed;
    }
    if (this.rng.chance(1 / 8)) {
      const seed = this.newSeed();
      this.pool[this.rng.int(this.pool.length)] = seed;
      return seed;
    }
    return this.rng.pick(this.pool);
  }

  private newSeed(): SeedFrame {
    const api = this.rng.weighted(this.apiWeights);
    const [lo, hi] = this.rng.chance(0.9) ? api.served : api.codec;
    return this.build(api.apiKey, this.rng.range(lo, hi));
  }

  private build(apiKey: number, version: number, attempt = 0, builder = SEED_BUILDERS.get(apiKey)!): SeedFrame {
    const w = new MarkingWriter();
    encodeRequestHeader(w, { apiKey, apiVersion: version, correlationId: 0, clientId: this.rng.pick(CLIENT_IDS) });
    const headerLength = w.length;
    try {
      builder(this.rng, version, this.options.context, w);
    } catch (err) {
      // A drawn value the codec cannot encode in this version (a null where the version has none): draw again.
      if (attempt >= 10) throw err;
      return this.build(apiKey, version, attempt + 1, builder);
    }
    return { apiKey, version, flexible: isFlexibleVersion(apiKey, version), body: Buffer.from(w.toBuffer()), headerLength, marks: w.marks };
  }
}
