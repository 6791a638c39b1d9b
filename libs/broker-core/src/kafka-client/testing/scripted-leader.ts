import { API_KEYS } from '../../protocol/api-keys.js';
import {
  decodeFetchRequest, encodeFetchResponse, makeFetchResponse, makeFetchResponseEpochEndOffset, makeFetchResponseFetchableTopicResponse,
  makeFetchResponsePartitionData, type FetchRequest,
} from '../../protocol/fetch/index.js';
import {
  decodeListOffsetsRequest, encodeListOffsetsResponse, makeListOffsetsResponse, makeListOffsetsResponsePartitionResponse,
  makeListOffsetsResponseTopicResponse, type ListOffsetsRequest,
} from '../../protocol/listOffsets/index.js';
import {
  decodeOffsetForLeaderEpochRequest, encodeOffsetForLeaderEpochResponse, makeOffsetForLeaderEpochResponse,
  makeOffsetForLeaderEpochResponseEpochEndOffset, makeOffsetForLeaderEpochResponseOffsetForLeaderTopicResult, type OffsetForLeaderEpochRequest,
} from '../../protocol/offsetForLeaderEpoch/index.js';
import type { Reader } from '../../protocol/primitives/reader.js';
import { ScriptedKafkaServer, type ScriptedReply, type ScriptedRequest } from './scripted-server.js';
import { until } from './wait.js';

/** One request the test has not answered yet. */
export interface Pending<T> {
  readonly request: T;
  readonly version: number;
  readonly connection: number;
  reply(reply: ScriptedReply): void;
}

const DECODERS = {
  [API_KEYS.Fetch]: decodeFetchRequest,
  [API_KEYS.OffsetForLeaderEpoch]: decodeOffsetForLeaderEpochRequest,
  [API_KEYS.ListOffsets]: decodeListOffsetsRequest,
} as const;
type LeaderApi = keyof typeof DECODERS;
type Decoded<K extends LeaderApi> = ReturnType<(typeof DECODERS)[K]>;

/**
 * The leader's side of replication, scripted by a test: Fetch, OffsetForLeaderEpoch and
 * ListOffsets requests are decoded and queue up per API until the test answers each one
 * (a queued Fetch is a long-poll the test ends). Anything else closes the connection.
 */
export class ScriptedLeader {
  private readonly queues = new Map<number, Pending<unknown>[]>();
  server!: ScriptedKafkaServer;

  static async start(): Promise<ScriptedLeader> {
    const leader = new ScriptedLeader();
    leader.server = await ScriptedKafkaServer.start((request) => leader.enqueue(request));
    return leader;
  }

  private enqueue({ header, body, connection }: ScriptedRequest): Promise<ScriptedReply> {
    const decode = DECODERS[header.apiKey as LeaderApi] as ((r: Reader, v: number) => unknown) | undefined;
    if (decode === undefined) return Promise.resolve({ close: true });
    return new Promise((reply) => this.queue(header.apiKey).push({ request: decode(body, header.apiVersion), version: header.apiVersion, connection, reply }));
  }

  private queue(apiKey: number): Pending<unknown>[] {
    let queue = this.queues.get(apiKey);
    if (queue === undefined) this.queues.set(apiKey, (queue = []));
    return queue;
  }

  waiting(apiKey: LeaderApi): number {
    return this.queue(apiKey).length;
  }

  /** The next request of this API (waiting for it to arrive). */
  async take<K extends LeaderApi>(apiKey: K): Promise<Pending<Decoded<K>>> {
    await until(() => this.queue(apiKey).length > 0, `a request with api key ${apiKey}`);
    return this.queue(apiKey).shift() as Pending<Decoded<K>>;
  }
}

export interface PartitionAnswer {
  partition: number;
  errorCode?: number;
  highWatermark?: bigint;
  records?: Buffer;
  divergingEpoch?: { epoch: number; endOffset: bigint };
}

export function fetchReply(pending: Pending<FetchRequest>, topic: string, partitions: PartitionAnswer[]): void {
  pending.reply({
    respond: (w) => encodeFetchResponse(w, makeFetchResponse({
      responses: [makeFetchResponseFetchableTopicResponse({
        topic,
        partitions: partitions.map((p) => makeFetchResponsePartitionData({
          partitionIndex: p.partition, errorCode: p.errorCode ?? 0, highWatermark: p.highWatermark ?? 0n, records: p.records ?? null,
          ...(p.divergingEpoch ? { divergingEpoch: makeFetchResponseEpochEndOffset(p.divergingEpoch) } : {}),
        })),
      })],
    }), pending.version),
  });
}

export function epochReply(pending: Pending<OffsetForLeaderEpochRequest>, topic: string, answers: { partition: number; errorCode?: number; leaderEpoch: number; endOffset: bigint }[]): void {
  pending.reply({
    respond: (w) => encodeOffsetForLeaderEpochResponse(w, makeOffsetForLeaderEpochResponse({
      topics: [makeOffsetForLeaderEpochResponseOffsetForLeaderTopicResult({
        topic, partitions: answers.map((a) => makeOffsetForLeaderEpochResponseEpochEndOffset({ errorCode: 0, ...a })),
      })],
    }), pending.version),
  });
}

/** Answers a ListOffsets with an offset per partition, as [partition, offset]. */
export function listOffsetsReply(pending: Pending<ListOffsetsRequest>, topic: string, offsets: [number, bigint][]): void {
  pending.reply({
    respond: (w) => encodeListOffsetsResponse(w, makeListOffsetsResponse({
      topics: [makeListOffsetsResponseTopicResponse({
        name: topic, partitions: offsets.map(([partitionIndex, offset]) => makeListOffsetsResponsePartitionResponse({ partitionIndex, offset })),
      })],
    }), pending.version),
  });
}
