import { connect, type Socket } from 'node:net';
import { API_KEYS } from '../../protocol/api-keys.js';
import { decodeApiVersionsResponse } from '../../protocol/apiVersions/index.js';
import { DEFAULT_SOCKET_REQUEST_MAX_BYTES, FrameDecoder } from '../../protocol/frame-decoder.js';
import type { ApiHandler } from '../api-handler.js';
import { API_HANDLERS } from '../handlers/index.js';
import { RawKafkaClient } from '../testing/raw-client.js';
import { FrameGenerator, type GeneratedFrame } from './generator.js';
import { GoodClient, type GoodClientReport } from './good-client.js';
import { MUTATIONS, type Mutation } from './mutators.js';
import { checkResponse, DEFAULT_MAX_WAIT_CAP_MS, type FrameVerdict, type ServerFrame, StreamModel } from './oracle.js';
import { Rng } from './random.js';
import type { SeedContext } from './seeds.js';

/** The well-behaved client's topic unless told otherwise; no seed names it. */
export const GOOD_CLIENT_TOPIC = 'weir-fuzz-good';
/** The topics seeds name most (see SeedContext). */
export const FUZZ_TOPICS: readonly string[] = ['fuzz-0', 'fuzz-1', 'fuzz-2', 'fuzz-3'];

export interface MemoryProbe {
  /** The server's resident set size in bytes now, or undefined if it cannot be read. */
  sample(): number | undefined;
  /** Largest allowed growth of the RSS after warm-up (bytes). */
  readonly maxGrowthBytes: number;
  /** Frames sent before the baseline is taken (default: 10% of the run). */
  readonly warmupFrames?: number;
  readonly intervalMs?: number;
}

export interface WireFuzzProgress {
  readonly framesSent: number;
  readonly frames: number;
  readonly outcomes: FrameOutcomes;
  readonly violations: number;
  readonly connections: number;
  readonly goodRounds: number;
  readonly goodFailures: number;
  readonly rssBytes: number | undefined;
  readonly elapsedMs: number;
}

export interface WireFuzzOptions {
  readonly host?: string;
  readonly port: number;
  /** How many frames to send. */
  readonly frames: number;
  readonly seed: number;
  /** Connections sending frames at once (default 16). */
  readonly concurrency?: number;
  /** The listener's socket.request.max.bytes (default Kafka's 100 MiB). */
  readonly maxRequestBytes?: number;
  /** The APIs the listener serves (default: all of Weir's). */
  readonly served?: readonly Pick<ApiHandler, 'apiKey' | 'minVersion' | 'maxVersion'>[];
  /** How long a response or a close may take before the frame counts as unanswered (default 10 s). */
  readonly deadlineMs?: number;
  /** Fetch max_wait_ms above this is lowered to it in every frame sent (default 200 ms). */
  readonly maxWaitCapMs?: number;
  /** Most frames per connection session before the next (default 16). */
  readonly maxSessionFrames?: number;
  readonly context?: Partial<SeedContext>;
  /** The well-behaved client: false for none; by default a round every 50 ms on GOOD_CLIENT_TOPIC. */
  readonly goodClient?: false | { readonly topic?: string; readonly intervalMs?: number };
  readonly memory?: MemoryProbe;
  readonly onProgress?: (progress: WireFuzzProgress) => void;
  readonly progressIntervalMs?: number;
  /** Stops the run early (e.g. when the server process exits); the report then says so. */
  readonly signal?: AbortSignal;
}

export interface FrameOutcomes {
  /** A response with the frame's correlation id came back (or, after a size-prefix lie, for the frame that swallowed it). */
  answered: number;
  /** The server closed the connection instead of answering (the listener's answer to bad input). */
  closed: number;
  /** Produce with acks=0, correctly not answered. */
  silent: number;
  /** Neither a response nor a close within the deadline: a listener bug. */
  unanswered: number;
  /** Never sent (no connection could be made). */
  unsent: number;
}

export interface ViolationSample {
  readonly kind: string;
  readonly detail: string;
  /** The frames of the session it happened in, and their mutations. */
  readonly frames?: readonly { readonly index: number; readonly mutation: Mutation; readonly apiKey: number; readonly version: number }[];
  /** The session's bytes as sent (hex, first 4 KiB). */
  readonly streamHex?: string;
  /** The API of every frame of the session that the stream model expects an answer to, in order (the whole session, unlike streamHex). */
  readonly answeredApiKeys?: readonly number[];
}

export interface WireFuzzReport {
  readonly seed: number;
  readonly framesRequested: number;
  readonly framesSent: number;
  /** Generated frames not sent because they ask for more partitions than the cap. */
  readonly framesSkipped: number;
  readonly outcomes: FrameOutcomes;
  readonly byMutation: Readonly<Record<Mutation, FrameOutcomes & { frames: number }>>;
  /** Responses received and checked against the generated response decoders. */
  readonly responsesChecked: number;
  readonly connections: number;
  readonly sessions: number;
  readonly goodClient: GoodClientReport | undefined;
  readonly memory: { readonly baselineBytes: number; readonly maxBytes: number; readonly endBytes: number; readonly growthBytes: number; readonly maxGrowthBytes: number; readonly samples: number } | undefined;
  /** An ApiVersions round trip on a fresh connection after the last frame. */
  readonly servingAfter: boolean;
  readonly violations: { readonly total: number; readonly byKind: Readonly<Record<string, number>>; readonly samples: readonly ViolationSample[] };
  readonly aborted: boolean;
  readonly durationMs: number;
  readonly ok: boolean;
}

type WritePlan = { readonly kind: 'single' } | { readonly kind: 'per-frame' } | { readonly kind: 'pieces'; readonly cuts: readonly number[] };

interface Session {
  readonly frames: readonly GeneratedFrame[];
  /** Stream offset of each frame. */
  readonly offsets: readonly number[];
  readonly model: StreamModel;
  readonly plan: WritePlan;
  /** The stream ends inside a frame: the client half-closes, and the listener must close. */
  readonly endSocket: boolean;
  readonly closeExpected: boolean;
  /**
   * Send the frames before the one that closes the connection first and wait for their
   * responses (else a close may drop responses still being worked on, unchecked).
   */
  readonly twoPhase: boolean;
  readonly expected: readonly { readonly frame: ServerFrame; readonly verdict: Extract<FrameVerdict, { kind: 'respond' }> }[];
}

const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const MAX_BURST_BYTES = 1024 * 1024;
const MAX_SAMPLES = 20;

function emptyOutcomes(): FrameOutcomes {
  return { answered: 0, closed: 0, silent: 0, unanswered: 0, unsent: 0 };
}

/** Cuts the frame sequence into per-connection sessions, each ending where the listener will close, if it will. */
class SessionSource {
  private taken = 0;
  /** Frames not sent because they ask for too many partitions (see DEFAULT_MAX_PARTITIONS_PER_REQUEST). */
  skipped = 0;
  private readonly rng: Rng;
  private readonly opening: GeneratedFrame[];

  constructor(
    private readonly generator: FrameGenerator,
    private readonly total: number,
    seed: number,
    private readonly served: ReadonlyMap<number, Pick<ApiHandler, 'minVersion' | 'maxVersion'>>,
    private readonly maxRequestBytes: number,
    private readonly maxWaitCapMs: number,
    private readonly maxSessionFrames: number,
  ) {
    this.rng = new Rng(seed ^ 0x5e55_1011);
    this.opening = generator.allSeeds().map((s) => generator.frameOf(s));
  }

  get framesTaken(): number {
    return this.taken;
  }

  next(): Session | undefined {
    if (this.taken >= this.total) return undefined;
    if (this.opening.length === 0 && this.rng.chance(1 / 200)) {
      const burst = this.burst();
      if (burst !== undefined) return burst;
    }
    const target = this.rng.weighted([[4, this.rng.range(1, 4)], [3, this.rng.range(1, this.maxSessionFrames)], [1, 1]]);
    const model = new StreamModel(this.served, this.maxRequestBytes, this.maxWaitCapMs);
    const frames: GeneratedFrame[] = [];
    const offsets: number[] = [];
    while (this.taken < this.total && model.closeReason === undefined) {
      const incomplete = model.pendingBytes > 0;
      if (frames.length >= target && !(incomplete && frames.length < target + 16 && model.missingBytes <= 64 * 1024)) break;
      const frame = this.opening.shift() ?? this.generator.next();
      const at = model.length;
      if (!model.append(frame.bytes)) {
        this.skipped++;
        // A frame the listener is still assembling would swallow the next bytes into the same
        // oversized request, whatever they are: end the session there instead.
        if (model.pendingBytes > 0) break;
        continue;
      }
      offsets.push(at);
      frames.push(frame);
      this.taken++;
    }
    const endSocket = model.closeReason === undefined && model.pendingBytes > 0;
    const expected = model.frames.flatMap((frame) => (frame.verdict.kind === 'respond' ? [{ frame, verdict: frame.verdict }] : []));
    const closeExpected = endSocket || model.closeReason !== undefined;
    return { frames, offsets, model, plan: this.plan(model.length), endSocket, closeExpected, twoPhase: closeExpected && this.rng.chance(0.7), expected };
  }

  /** A pipelined burst: one valid frame repeated 65-400 times, in one write; undefined if the frame would close the connection. */
  private burst(): Session | undefined {
    let n = Math.min(this.total - this.taken, this.rng.range(65, 400));
    const first = this.generator.burst(1);
    // At most about 1 MiB in all: a burst of wide requests would otherwise be hundreds of MiB in one write.
    n = Math.max(1, Math.min(n, Math.floor(MAX_BURST_BYTES / first[0]!.bytes.length)));
    const frames = [...first, ...this.generator.burst(n - 1, first[0]!)];
    const model = new StreamModel(this.served, this.maxRequestBytes, this.maxWaitCapMs);
    const offsets: number[] = [];
    for (const frame of frames) {
      const at = model.length;
      if (!model.append(frame.bytes) || model.closeReason !== undefined || model.pendingBytes > 0) return undefined;
      offsets.push(at);
    }
    this.taken += frames.length;
    const expected = model.frames.flatMap((frame) => (frame.verdict.kind === 'respond' ? [{ frame, verdict: frame.verdict }] : []));
    return { frames, offsets, model, plan: { kind: 'single' }, endSocket: false, closeExpected: false, twoPhase: false, expected };
  }

  /** One write, one write per frame, or many small writes (each flushed before the next). */
  private plan(length: number): WritePlan {
    const kind = this.rng.weighted([[8, 'single'], [7, 'per-frame'], [4, 'split'], [1, 'dribble']] as const);
    if (kind === 'single' || kind === 'per-frame') return { kind };
    const cuts: number[] = [];
    if (kind === 'dribble' && length <= 2048) {
      for (let at = this.rng.range(1, 7); at < length; at += this.rng.range(1, 7)) cuts.push(at);
    } else {
      const n = this.rng.range(1, 31);
      for (let i = 0; i < n; i++) cuts.push(this.rng.int(length));
      cuts.sort((a, b) => a - b);
    }
    return { kind: 'pieces', cuts };
  }
}

interface ResponseListener {
  onResponse(frame: Buffer): void;
  onClose(): void;
}

/** One fuzzing connection: response frames out of the byte stream, and whether the server closed it. */
class FuzzConnection {
  closed = false;
  listener: ResponseListener | undefined;
  private readonly decoder = new FrameDecoder(MAX_RESPONSE_BYTES);

  constructor(
    readonly socket: Socket,
    private readonly onStray: (what: string) => void,
  ) {
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = this.decoder.push(chunk);
      } catch (err) {
        this.onStray(`response stream lost its framing: ${err instanceof Error ? err.message : String(err)}`);
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        if (this.listener === undefined) this.onStray(`a response (correlation id ${frame.length >= 4 ? frame.readInt32BE(0) : '?'}) with no request waiting`);
        else this.listener.onResponse(frame);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.listener?.onClose();
    });
  }

  static open(host: string, port: number, onStray: (what: string) => void): Promise<FuzzConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true }, () => {
        socket.off('error', reject);
        resolve(new FuzzConnection(socket, onStray));
      });
      socket.once('error', reject);
    });
  }

  /** Resolves once the bytes are handed to the kernel (or the socket is gone). */
  writeFlushed(bytes: Buffer): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.write(bytes, () => resolve());
    });
  }
}

function hex(buf: Buffer): string {
  return buf.subarray(0, 4096).toString('hex');
}

/**
 * Sends `frames` generated frames at a live Kafka listener over `concurrency`
 * connections, reconnecting whenever the server closes one, and checks every frame
 * against the listener's contract (see StreamModel and judgeFrame): a response with the
 * right correlation id that decodes with the generated response decoder, no response for
 * acks=0, or the connection closed, and never nothing within `deadlineMs`. Meanwhile a
 * well-behaved client on its own connection must keep succeeding, and the server's
 * memory (when a probe is given) must stay within its bound after warm-up.
 */
export async function runWireFuzz(options: WireFuzzOptions): Promise<WireFuzzReport> {
  const host = options.host ?? '127.0.0.1';
  const { port, seed } = options;
  const deadlineMs = options.deadlineMs ?? 10_000;
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_SOCKET_REQUEST_MAX_BYTES;
  const servedList = options.served ?? API_HANDLERS;
  const served = new Map(servedList.map((h) => [h.apiKey, h]));
  const goodTopic = options.goodClient === false ? undefined : options.goodClient?.topic ?? GOOD_CLIENT_TOPIC;
  const context: SeedContext = {
    topics: options.context?.topics ?? FUZZ_TOPICS,
    topicIds: options.context?.topicIds ?? [],
    protectedTopics: options.context?.protectedTopics ?? (goodTopic === undefined ? [] : [goodTopic]),
  };
  const generator = new FrameGenerator({ seed, maxRequestBytes, served: servedList, context });
  const source = new SessionSource(generator, options.frames, seed, served, maxRequestBytes, options.maxWaitCapMs ?? DEFAULT_MAX_WAIT_CAP_MS, options.maxSessionFrames ?? 16);

  const outcomes = emptyOutcomes();
  const byMutation = Object.fromEntries(MUTATIONS.map((m) => [m, { frames: 0, ...emptyOutcomes() }])) as Record<Mutation, FrameOutcomes & { frames: number }>;
  const violationCounts: Record<string, number> = {};
  const samples: ViolationSample[] = [];
  let violations = 0;
  let responsesChecked = 0;
  let connections = 0;
  let sessions = 0;
  const started = performance.now();

  const violation = (kind: string, detail: string, session?: Session): void => {
    violations++;
    violationCounts[kind] = (violationCounts[kind] ?? 0) + 1;
    if (samples.length < MAX_SAMPLES) {
      samples.push({
        kind,
        detail,
        ...(session === undefined ? {} : {
          frames: session.frames.map((f) => ({ index: f.index, mutation: f.mutation, apiKey: f.apiKey, version: f.version })),
          streamHex: hex(session.model.bytes),
          answeredApiKeys: session.model.frames.flatMap((f) => (f.verdict.kind === 'respond' ? [f.verdict.apiKey] : [])),
        }),
      });
    }
  };

  const count = (frame: GeneratedFrame, outcome: keyof FrameOutcomes): void => {
    outcomes[outcome]++;
    const m = byMutation[frame.mutation];
    m.frames++;
    m[outcome]++;
  };

  const good = goodTopic === undefined ? undefined : new GoodClient({ host, port, topic: goodTopic, intervalMs: (options.goodClient === false ? undefined : options.goodClient?.intervalMs) ?? 50, deadlineMs });
  good?.start();

  // Memory: a baseline after warm-up, then the largest sample.
  const memory = options.memory;
  const warmupFrames = memory?.warmupFrames ?? Math.floor(options.frames / 10);
  let baseline: number | undefined;
  let maxRss = 0;
  let lastRss: number | undefined;
  let memorySamples = 0;
  const sampleMemory = (): void => {
    const rss = memory?.sample();
    if (rss === undefined) return;
    lastRss = rss;
    if (source.framesTaken < warmupFrames) return;
    memorySamples++;
    baseline ??= rss;
    maxRss = Math.max(maxRss, rss);
  };
  const memoryTimer = memory === undefined ? undefined : setInterval(sampleMemory, memory.intervalMs ?? 250);

  const progress = (): WireFuzzProgress => {
    const g = good?.report();
    return {
      framesSent: source.framesTaken, frames: options.frames, outcomes: { ...outcomes }, violations: violations + (g?.failures ?? 0), connections,
      goodRounds: g?.rounds ?? 0, goodFailures: g?.failures ?? 0, rssBytes: lastRss, elapsedMs: performance.now() - started,
    };
  };
  const progressTimer = options.onProgress === undefined ? undefined : setInterval(() => options.onProgress!(progress()), options.progressIntervalMs ?? 1000);

  const stray = (what: string): void => violation('unexpected-response', what);

  async function openConnection(): Promise<FuzzConnection | undefined> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const conn = await FuzzConnection.open(host, port, stray);
        connections++;
        return conn;
      } catch (err) {
        lastError = err;
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      }
    }
    violation('connect-failed', lastError instanceof Error ? lastError.message : String(lastError));
    return undefined;
  }

  /** Writes stream bytes [from, to) as the session's plan says. */
  async function send(conn: FuzzConnection, s: Session, from: number, to: number): Promise<void> {
    const bytes = s.model.bytes;
    if (s.plan.kind === 'single') {
      conn.socket.write(bytes.subarray(from, to));
    } else if (s.plan.kind === 'per-frame') {
      let at = from;
      for (const offset of [...s.offsets, to]) {
        if (offset <= at) continue;
        if (offset > to) break;
        conn.socket.write(bytes.subarray(at, offset));
        at = offset;
      }
      if (at < to) conn.socket.write(bytes.subarray(at, to));
    } else {
      let at = from;
      for (const cut of [...s.plan.cuts, to]) {
        if (cut <= at) continue;
        if (cut > to) break;
        if (conn.closed) return;
        await conn.writeFlushed(bytes.subarray(at, cut));
        at = cut;
      }
      if (at < to && !conn.closed) await conn.writeFlushed(bytes.subarray(at, to));
    }
  }

  /** Runs one session; returns whether the connection can carry the next one. */
  async function runSession(conn: FuzzConnection, s: Session): Promise<boolean> {
    sessions++;
    const answered = new Set<ServerFrame>();
    let received = 0;
    let wake: () => void = () => undefined;
    const settled = (): boolean => conn.closed || (received >= s.expected.length && !s.closeExpected);
    const done = new Promise<void>((resolve) => {
      wake = resolve;
    });
    conn.listener = {
      onResponse(frame) {
        const k = received++;
        const expected = s.expected[k];
        if (expected === undefined) {
          violation('unexpected-response', `response ${k + 1} where ${s.expected.length} were expected (correlation id ${frame.length >= 4 ? frame.readInt32BE(0) : '?'})`, s);
          return;
        }
        const problem = checkResponse(frame, expected.verdict);
        if (problem === undefined) responsesChecked++;
        else violation('bad-response', `api ${expected.verdict.apiKey} v${expected.verdict.responseVersion}: ${problem}`, s);
        answered.add(expected.frame);
        if (settled()) wake();
      },
      onClose: () => wake(),
    };
    let timer: NodeJS.Timeout | undefined;
    // If this process itself was held up (a timer firing well after its time), the I/O that
    // came in meanwhile is read before the deadline counts: the listener is not to blame.
    const deadline = (): Promise<void> => new Promise<void>((resolve) => {
      const armed = performance.now();
      timer = setTimeout(() => {
        if (performance.now() - armed < deadlineMs + 500) return resolve();
        timer = setTimeout(resolve, 200);
      }, deadlineMs);
    });
    /** Responses the listener owed but did not send within the deadline, its connection still open. */
    let unanswered = false;
    let reusable = true;
    const split = s.twoPhase ? s.model.endingAt : undefined;
    if (split !== undefined && split > 0) {
      // Phase one: the frames before the ending, until all their responses are in. Nothing
      // sent so far calls for a close, so one now is the listener's fault.
      let phaseDone: () => void = () => undefined;
      const phase = new Promise<void>((resolve) => (phaseDone = resolve));
      const onResponse = conn.listener.onResponse;
      conn.listener = {
        onResponse(frame) {
          onResponse(frame);
          if (received >= s.expected.length) phaseDone();
        },
        onClose: () => {
          phaseDone();
          wake();
        },
      };
      await send(conn, s, 0, split);
      if (received < s.expected.length && !conn.closed) await Promise.race([phase, deadline()]);
      clearTimeout(timer);
      if (conn.closed) {
        violation('unexpected-close', `closed after ${received} of ${s.expected.length} responses, before the frame that calls for it was sent`, s);
      } else if (received < s.expected.length) {
        violation('unanswered', `${s.expected.length - received} of ${s.expected.length} responses missing after ${deadlineMs} ms, connection still open`, s);
        unanswered = true;
      }
    }
    if (!conn.closed) await send(conn, s, split ?? 0, s.model.length);
    if (s.endSocket && !conn.closed) conn.socket.end();
    if (!settled()) {
      await Promise.race([done, deadline()]);
      clearTimeout(timer);
    }
    conn.listener = undefined;

    if (!settled()) {
      reusable = false;
      if (received < s.expected.length) {
        if (!unanswered) violation('unanswered', `${s.expected.length - received} of ${s.expected.length} responses missing after ${deadlineMs} ms, connection still open`, s);
        unanswered = true;
      } else {
        violation('not-closed', `connection still open ${deadlineMs} ms after ${s.model.closeReason ?? 'a half-close'}`, s);
      }
    } else if (conn.closed && !s.closeExpected) {
      violation('unexpected-close', `closed after ${received} of ${s.expected.length} responses, no frame called for it`, s);
    }
    if (conn.closed || unanswered) reusable = false;
    for (let i = 0; i < s.frames.length; i++) {
      const frame = s.frames[i]!;
      const served = s.model.frameAt(s.offsets[i]!);
      if (served === undefined || served.verdict.kind === 'close') count(frame, 'closed');
      else if (served.verdict.kind === 'silent') count(frame, 'silent');
      else if (answered.has(served)) count(frame, 'answered');
      else count(frame, unanswered ? 'unanswered' : 'closed');
    }
    return reusable;
  }

  async function worker(): Promise<void> {
    let conn: FuzzConnection | undefined;
    for (;;) {
      if (options.signal?.aborted) break;
      const s = source.next();
      if (s === undefined) break;
      if (conn === undefined || conn.closed) conn = await openConnection();
      if (conn === undefined) {
        for (const f of s.frames) count(f, 'unsent');
        continue;
      }
      if (!(await runSession(conn, s))) {
        conn.socket.destroy();
        conn = undefined;
      }
    }
    conn?.socket.destroy();
  }

  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, () => worker()));
  } finally {
    if (progressTimer !== undefined) clearInterval(progressTimer);
    if (memoryTimer !== undefined) clearInterval(memoryTimer);
  }
  const goodReport = await good?.stop();
  if (goodReport !== undefined && goodReport.failures > 0) {
    violations += goodReport.failures;
    violationCounts['good-client'] = goodReport.failures;
  }
  const servingAfter = await stillServing(host, port, deadlineMs);
  if (!servingAfter) violation('not-serving-after', 'ApiVersions on a fresh connection failed after the run');
  sampleMemory();
  let memoryReport: WireFuzzReport['memory'];
  if (memory !== undefined && baseline !== undefined) {
    memoryReport = { baselineBytes: baseline, maxBytes: maxRss, endBytes: lastRss ?? maxRss, growthBytes: maxRss - baseline, maxGrowthBytes: memory.maxGrowthBytes, samples: memorySamples };
    if (memoryReport.growthBytes > memory.maxGrowthBytes) {
      violation('memory', `RSS grew ${(memoryReport.growthBytes / 2 ** 20).toFixed(1)} MiB after warm-up (limit ${(memory.maxGrowthBytes / 2 ** 20).toFixed(1)} MiB)`);
    }
  } else if (memory !== undefined) {
    violation('memory', 'no memory sample after warm-up');
  }
  const aborted = options.signal?.aborted === true;
  if (aborted) violation('aborted', String(options.signal?.reason ?? 'aborted'));
  return {
    seed,
    framesRequested: options.frames,
    framesSent: source.framesTaken,
    framesSkipped: source.skipped,
    outcomes,
    byMutation,
    responsesChecked,
    connections,
    sessions,
    goodClient: goodReport,
    memory: memoryReport,
    servingAfter,
    violations: { total: violations, byKind: violationCounts, samples },
    aborted,
    durationMs: performance.now() - started,
    ok: violations === 0 && outcomes.unanswered === 0 && outcomes.unsent === 0,
  };
}

async function stillServing(host: string, port: number, deadlineMs: number): Promise<boolean> {
  let client: RawKafkaClient | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    client = await RawKafkaClient.connect(port, host);
    const body = await Promise.race([
      client.request(API_KEYS.ApiVersions, 0, () => undefined),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), deadlineMs))),
    ]);
    return decodeApiVersionsResponse(body, 0).errorCode === 0;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    client?.close();
  }
}
